//! The TOML form of a [`Diagram`]:
//!
//! ```text
//! inputs  = [name, …]            optional, default []
//! outputs = [name, …]            optional, default []
//! [edges]  name = "label"        in order; label = irrep ("1o") or spin ("3/2")
//! [[vertex]] fuse = [left, right]   into = coupled
//! [[vertex]] split = coupled        into = [left, right]
//! ```

use crate::fusion::{Diagram, DiagramBuilder, DiagramError, VertexKind};
use std::fmt::{self, Write};
use std::str::FromStr;
use toml::{Table, Value};

fn bad(message: impl Into<String>) -> DiagramError {
    DiagramError::Toml {
        message: message.into(),
    }
}

fn string<'a>(v: &'a Value, what: &str) -> Result<&'a str, DiagramError> {
    v.as_str()
        .ok_or_else(|| bad(format!("{what} must be a string, got {v}")))
}

fn strings<'a>(v: &'a Value, what: &str) -> Result<Vec<&'a str>, DiagramError> {
    let arr = v
        .as_array()
        .ok_or_else(|| bad(format!("{what} must be an array of edge names, got {v}")))?;
    arr.iter().map(|x| string(x, what)).collect()
}

fn pair<'a>(v: &'a Value, what: &str) -> Result<[&'a str; 2], DiagramError> {
    let s = strings(v, what)?;
    <[&str; 2]>::try_from(s.as_slice())
        .map_err(|_| bad(format!("{what} must name exactly two edges, got {v}")))
}

impl Diagram {
    /// Parses the TOML form (see [`Diagram`]).
    ///
    /// # Errors
    /// [`DiagramError::Toml`] for malformed TOML, an unknown key or a value of the wrong type
    /// (the message names the key and vertex); otherwise as [`DiagramBuilder::build`].
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::Diagram;
    /// let text = r#"
    /// inputs = ["a", "b", "c"]
    /// outputs = ["out"]
    /// [edges]
    /// a = "1o"
    /// b = "1o"
    /// c = "1o"
    /// ab = "1e"
    /// out = "0o"
    /// [[vertex]]
    /// fuse = ["a", "b"]
    /// into = "ab"
    /// [[vertex]]
    /// fuse = ["ab", "c"]
    /// into = "out"
    /// "#;
    /// let d = Diagram::from_toml(text)?;
    /// assert_eq!(d.describe_vertex(1), "vertex 1 (fuse ab, c -> out)");
    /// let e = Diagram::from_toml(&text.replace("\"1e\"", "\"1o\"")).unwrap_err();
    /// assert!(e.to_string().contains("vertex 0 (fuse a, b -> ab): parity mismatch"), "{e}");
    /// # Ok::<(), racah_core::fusion::DiagramError>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<Self, DiagramError> {
        let doc: Table = text.parse().map_err(|e: toml::de::Error| {
            bad(e.message().to_string() + &location(text, e.span()))
        })?;
        let mut b = DiagramBuilder::default();
        for key in doc.keys() {
            if !matches!(key.as_str(), "inputs" | "outputs" | "edges" | "vertex") {
                return Err(bad(format!(
                    "unknown key {key:?} (expected inputs, outputs, edges, vertex)"
                )));
            }
        }
        let edges = doc
            .get("edges")
            .ok_or_else(|| bad("missing the [edges] table"))?
            .as_table()
            .ok_or_else(|| bad("`edges` must be a table of name = \"label\""))?;
        for (name, label) in edges {
            b = b.edge(name, string(label, &format!("the label of edge {name:?}"))?);
        }
        if let Some(v) = doc.get("vertex") {
            let arr = v
                .as_array()
                .ok_or_else(|| bad("`vertex` must be an array of tables ([[vertex]])"))?;
            for (i, t) in arr.iter().enumerate() {
                b = vertex(b, i, t)?;
            }
        }
        for (key, is_input) in [("inputs", true), ("outputs", false)] {
            if let Some(v) = doc.get(key) {
                for name in strings(v, &format!("`{key}`"))? {
                    b = if is_input {
                        b.input(name)
                    } else {
                        b.output(name)
                    };
                }
            }
        }
        b.build()
    }

    /// The TOML form (see [`Diagram`]); [`Diagram::from_toml`] reads it back to an equal
    /// diagram.
    ///
    /// # Examples
    /// ```
    /// use racah_core::fusion::Diagram;
    /// let d = Diagram::builder()
    ///     .edge("a", "1/2")
    ///     .edge("b", "1/2")
    ///     .edge("c", "1")
    ///     .fuse("a", "b", "c")
    ///     .split("c", "a", "b")
    ///     .build()?;
    /// let text = d.to_toml();
    /// assert!(text.contains("split = \"c\"\ninto = [\"a\", \"b\"]"));
    /// assert_eq!(Diagram::from_toml(&text)?, d);
    /// # Ok::<(), racah_core::fusion::DiagramError>(())
    /// ```
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        self.write_toml(&mut s).expect("writing to a String");
        s
    }

    fn write_toml(&self, f: &mut impl Write) -> fmt::Result {
        let name = |id: &crate::fusion::EdgeId| format!("\"{}\"", self.edge(*id).name);
        let list =
            |ids: &[crate::fusion::EdgeId]| ids.iter().map(name).collect::<Vec<_>>().join(", ");
        writeln!(f, "inputs = [{}]", list(self.inputs()))?;
        writeln!(f, "outputs = [{}]", list(self.outputs()))?;
        writeln!(f, "\n[edges]")?;
        for e in self.edges() {
            writeln!(f, "{} = \"{}\"", e.name, e.label)?;
        }
        for v in self.vertices() {
            writeln!(f, "\n[[vertex]]")?;
            match v.kind {
                VertexKind::Fuse => {
                    writeln!(f, "fuse = [{}, {}]", name(&v.left), name(&v.right))?;
                    writeln!(f, "into = {}", name(&v.coupled))?;
                }
                VertexKind::Split => {
                    writeln!(f, "split = {}", name(&v.coupled))?;
                    writeln!(f, "into = [{}, {}]", name(&v.left), name(&v.right))?;
                }
            }
        }
        Ok(())
    }
}

fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(r) => {
            let line = text[..r.start.min(text.len())].matches('\n').count() + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

fn vertex(b: DiagramBuilder, i: usize, t: &Value) -> Result<DiagramBuilder, DiagramError> {
    let t = t
        .as_table()
        .ok_or_else(|| bad(format!("vertex {i} must be a table, got {t}")))?;
    for key in t.keys() {
        if !matches!(key.as_str(), "fuse" | "split" | "into") {
            return Err(bad(format!(
                "vertex {i}: unknown key {key:?} (expected fuse or split, and into)"
            )));
        }
    }
    let into = t
        .get("into")
        .ok_or_else(|| bad(format!("vertex {i}: missing `into`")))?;
    match (t.get("fuse"), t.get("split")) {
        (Some(f), None) => {
            let [l, r] = pair(f, &format!("vertex {i}: `fuse`"))?;
            let c = string(into, &format!("vertex {i}: `into` of a fuse vertex"))?;
            Ok(b.fuse(l, r, c))
        }
        (None, Some(s)) => {
            let c = string(s, &format!("vertex {i}: `split`"))?;
            let [l, r] = pair(into, &format!("vertex {i}: `into` of a split vertex"))?;
            Ok(b.split(c, l, r))
        }
        _ => Err(bad(format!(
            "vertex {i} needs exactly one of `fuse` and `split`"
        ))),
    }
}

impl FromStr for Diagram {
    type Err = DiagramError;
    /// Same as [`Diagram::from_toml`].
    fn from_str(s: &str) -> Result<Self, DiagramError> {
        Diagram::from_toml(s)
    }
}

impl fmt::Display for Diagram {
    /// The TOML form, as [`Diagram::to_toml`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_toml(f)
    }
}

#[cfg(test)]
mod tests {
    use crate::fusion::{Diagram, FusionTree, LabelledFusionTree};
    use crate::{testing, Irrep};
    use proptest::prelude::*;

    const ISSUE_EXAMPLE: &str = r#"inputs = ["a", "b", "c"]
outputs = ["out"]

[edges]
a = "1o"
b = "1o"
c = "1o"
ab = "1e"
out = "0o"

[[vertex]]
fuse = ["a", "b"]
into = "ab"

[[vertex]]
fuse = ["ab", "c"]
into = "out"
"#;

    #[test]
    fn test_diagram_toml_golden() {
        let d = Diagram::from_toml(ISSUE_EXAMPLE).unwrap();
        // the canonical text is the issue's example, byte for byte
        assert_eq!(d.to_toml(), ISSUE_EXAMPLE);
        assert_eq!(d.to_string(), ISSUE_EXAMPLE);
        let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse().unwrap();
        let from_tree = Diagram::from(&t).to_toml();
        assert!(from_tree.starts_with("inputs = [\"l0\", \"l1\", \"l2\"]\noutputs = [\"out\"]"));
        assert!(from_tree.contains("[[vertex]]\nfuse = [\"c0\", \"l2\"]\ninto = \"out\""));
        // edge order is kept, not sorted
        let d = Diagram::from_toml("[edges]\nz = \"1\"\na = \"1\"\nb = \"0\"\n[[vertex]]\nsplit = \"b\"\ninto = [\"z\", \"a\"]\n[[vertex]]\nfuse = [\"z\", \"a\"]\ninto = \"b\"").unwrap();
        assert_eq!(d.edges()[0].name, "z");
        assert!(d.is_closed());
    }

    fn labelled_tree() -> impl Strategy<Value = LabelledFusionTree> {
        (1..=5usize)
            .prop_flat_map(|k| {
                (
                    proptest::collection::vec(testing::su2_irrep(4), k),
                    0..FusionTree::all_shapes(k).unwrap().len(),
                    any::<prop::sample::Index>(),
                    any::<prop::sample::Index>(),
                )
            })
            .prop_filter_map("no labelling", |(leaves, shape, out, pick)| {
                let shape = FusionTree::all_shapes(leaves.len())
                    .unwrap()
                    .swap_remove(shape);
                let mut reach = vec![leaves[0]];
                for l in &leaves[1..] {
                    let mut next: Vec<Irrep> = reach.iter().flat_map(|&a| a * *l).collect();
                    next.sort();
                    next.dedup();
                    reach = next;
                }
                let o = reach[out.index(reach.len())];
                let all = shape.labellings(&leaves, o).ok()?;
                (!all.is_empty()).then(|| all[pick.index(all.len())].clone())
            })
    }

    proptest! {
        #![proptest_config(testing::seeded(0xd1a6))]

        #[test]
        fn diagram_toml_properties(t in labelled_tree()) {
            let d = Diagram::from(&t);
            let text = d.to_toml();
            let back = Diagram::from_toml(&text).unwrap();
            prop_assert_eq!(&back, &d);
            prop_assert_eq!(&back.to_toml(), &text);
            // a tree has k inputs, one output and k − 1 fusion vertices
            let k = t.leaves().len();
            prop_assert_eq!((d.inputs().len(), d.outputs().len()), (k, 1));
            prop_assert_eq!(d.num_vertices(), k - 1);
            prop_assert_eq!(d.edges().len(), 2 * k - 1);
            // the same diagram with bare-spin labels also round-trips
            let spins = text
                .lines()
                .map(|l| match l.split_once(" = \"") {
                    Some((name, label)) if !l.starts_with("into") && !l.starts_with("split") => {
                        format!("{name} = \"{}", label.replace(['e', 'o'], ""))
                    }
                    _ => l.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            let s = Diagram::from_toml(&spins).unwrap();
            prop_assert_eq!(Diagram::from_toml(&s.to_toml()).unwrap(), s);
        }
    }

    #[test]
    fn diagram_toml_rejects_malformed() {
        let cases = [
            ("inputs = [", "diagram TOML:"),
            ("[edges]\na = 1", "the label of edge \"a\" must be a string"),
            ("foo = 1\n[edges]\na = \"1o\"", "unknown key \"foo\""),
            ("inputs = [\"a\"]", "missing the [edges] table"),
            (
                "[edges]\na = \"1o\"\n[[vertex]]\nfuse = [\"a\"]\ninto = \"a\"",
                "vertex 0: `fuse` must name exactly two edges",
            ),
            (
                "[edges]\na = \"1o\"\n[[vertex]]\nfuse = [\"a\", \"a\"]\nsplit = \"a\"\ninto = \"a\"",
                "vertex 0 needs exactly one of",
            ),
            ("[edges]\na = \"1x\"", "edge \"a\" has a bad label"),
            ("[edges]\n\"a b\" = \"1o\"", "edge name \"a b\" is not valid"),
            (
                "inputs = [\"a\"]\noutputs = [\"z\"]\n[edges]\na = \"1o\"",
                "the output list uses the undeclared edge \"z\"",
            ),
            ("[edges]", "at least one edge"),
        ];
        for (text, want) in cases {
            let e = Diagram::from_toml(text).unwrap_err();
            assert!(e.to_string().contains(want), "{text:?}: {e}");
        }
    }
}
