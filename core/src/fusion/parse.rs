//! The textual form of labelled fusion trees:
//!
//! ```text
//! tree  := node
//! node  := leaf | '(' node ',' node ')' '->' irrep
//! leaf  := irrep [ '[' index ']' ]
//! ```
//! Whitespace around tokens is ignored. Leaf indices are given on every leaf or on none (then
//! the leaves are numbered left to right).

use crate::fusion::{FusionTree, LabelledFusionTree, Node, MAX_TREE_LEAVES};
use crate::irreps_parse::{parse_irrep, Text};
use crate::{CoreError, Irrep};
use std::str::FromStr;

struct ParsedLeaf {
    irrep: Irrep,
    /// Start of the leaf's text.
    at: usize,
    /// The explicit index and where it was written.
    index: Option<(usize, usize)>,
}

struct Parser<'a> {
    text: Text<'a>,
    pos: usize,
    depth: usize,
    leaves: Vec<ParsedLeaf>,
    couplings: Vec<Irrep>,
}

impl Parser<'_> {
    fn found(&self) -> String {
        self.text.at(self.pos).map(String::from).unwrap_or_default()
    }

    fn expect(&mut self, c: char) -> Result<(), CoreError> {
        self.pos = self.text.skip_ws(self.pos);
        if self.text.at(self.pos) == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self
                .text
                .err(self.pos, self.found(), &format!("expected '{c}'")))
        }
    }

    fn irrep(&mut self) -> Result<Irrep, CoreError> {
        self.pos = self.text.skip_ws(self.pos);
        let start = self.pos;
        while self
            .text
            .at(self.pos)
            .is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.')
        {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.text.err(start, self.found(), "expected an irrep"));
        }
        parse_irrep(&self.text, start..self.pos)
    }

    fn index(&mut self) -> Result<Option<(usize, usize)>, CoreError> {
        let p = self.text.skip_ws(self.pos);
        if self.text.at(p) != Some('[') {
            return Ok(None);
        }
        self.pos = self.text.skip_ws(p + 1);
        let start = self.pos;
        while self.text.at(self.pos).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.text.err(start, self.found(), "expected a leaf index"));
        }
        let digits = self.text.slice(start..self.pos);
        let i = digits
            .parse()
            .map_err(|_| self.text.err(start, digits.clone(), "leaf index too large"))?;
        self.expect(']')?;
        Ok(Some((i, start)))
    }

    fn node(&mut self) -> Result<Node, CoreError> {
        self.pos = self.text.skip_ws(self.pos);
        if self.text.at(self.pos) != Some('(') {
            let at = self.pos;
            let irrep = self.irrep()?;
            let index = self.index()?;
            self.leaves.push(ParsedLeaf { irrep, at, index });
            return Ok(Node::Leaf(self.leaves.len() - 1));
        }
        if self.depth >= MAX_TREE_LEAVES {
            return Err(self.text.err(self.pos, "(", "nesting too deep"));
        }
        self.depth += 1;
        self.pos += 1;
        let left = self.node()?;
        self.expect(',')?;
        let right = self.node()?;
        self.expect(')')?;
        self.pos = self.text.skip_ws(self.pos);
        if self.text.at(self.pos) != Some('-') || self.text.at(self.pos + 1) != Some('>') {
            return Err(self.text.err(
                self.pos,
                self.found(),
                "expected '->' and the coupled irrep",
            ));
        }
        self.pos += 2;
        let c = self.irrep()?;
        self.couplings.push(c);
        self.depth -= 1;
        Ok(Node::couple(left, right))
    }

    /// Maps leaves numbered by appearance to their explicit indices, checking them.
    fn leaf_numbers(&self) -> Result<Option<Vec<usize>>, CoreError> {
        let k = self.leaves.len();
        let given = self.leaves.iter().filter(|l| l.index.is_some()).count();
        if given == 0 {
            return Ok(None);
        }
        let mut seen = vec![false; k];
        let mut map = Vec::with_capacity(k);
        for leaf in &self.leaves {
            let Some((i, at)) = leaf.index else {
                return Err(self.text.err(
                    leaf.at,
                    leaf.irrep.to_string(),
                    "either every leaf or no leaf carries an index",
                ));
            };
            if i >= k {
                let kind = format!("leaf index out of range for {k} leaves");
                return Err(self.text.err(at, i.to_string(), &kind));
            }
            if std::mem::replace(&mut seen[i], true) {
                return Err(self.text.err(at, i.to_string(), "duplicate leaf index"));
            }
            map.push(i);
        }
        Ok(Some(map))
    }
}

fn renumber(node: Node, map: &[usize]) -> Node {
    match node {
        Node::Leaf(i) => Node::Leaf(map[i]),
        Node::Couple(l, r) => Node::couple(renumber(*l, map), renumber(*r, map)),
    }
}

impl FromStr for LabelledFusionTree {
    type Err = CoreError;

    /// Parses `((1o,1o)->1e,1o)->0o` (see the module grammar) and checks every vertex.
    ///
    /// # Errors
    /// [`CoreError::Parse`] with the character position and token for malformed text;
    /// [`CoreError::Triangle`] / [`CoreError::Invalid`] for a vertex that violates the triangle
    /// condition / parity (the message names the vertex).
    fn from_str(s: &str) -> Result<Self, CoreError> {
        let mut p = Parser {
            text: Text::new(s),
            pos: 0,
            depth: 0,
            leaves: Vec::new(),
            couplings: Vec::new(),
        };
        let root = p.node()?;
        p.pos = p.text.skip_ws(p.pos);
        if p.pos < p.text.len() {
            return Err(p
                .text
                .err(p.pos, p.found(), "unexpected text after the tree"));
        }
        let (root, leaves) = match p.leaf_numbers()? {
            None => (root, p.leaves.iter().map(|l| l.irrep).collect()),
            Some(map) => {
                let mut leaves = vec![p.leaves[0].irrep; map.len()];
                for (leaf, &i) in p.leaves.iter().zip(&map) {
                    leaves[i] = leaf.irrep;
                }
                (renumber(root, &map), leaves)
            }
        };
        LabelledFusionTree::from_parts(FusionTree::from_valid_root(root), leaves, p.couplings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<LabelledFusionTree, CoreError> {
        s.parse()
    }

    #[test]
    fn test_fusion_tree_parse() {
        let cases = [
            ("((1o,1o)->1e,1o)->0o", "((1o,1o)->1e,1o)->0o"),
            (" ( (1o , 1o) -> 1e , 1o ) -> 0o ", "((1o,1o)->1e,1o)->0o"),
            ("2e", "2e"),
            ("(1y,2y)->3y", "(1o,2e)->3o"),
            ("(1/2e,1/2e)->1e", "(1/2e,1/2e)->1e"),
            ("((1o[0],1o[1])->0e,1o[2])->1o", "((1o,1o)->0e,1o)->1o"),
            (
                "((1o[0],2e[2])->1o,3o[1])->2e",
                "((1o[0],2e[2])->1o,3o[1])->2e",
            ),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s).unwrap().to_string(), want, "{s:?}");
        }
        let t = parse("((1o[0],2e[2])->1o,3o[1])->2e").unwrap();
        assert_eq!(
            t.leaves(),
            &[
                "1o".parse().unwrap(),
                "3o".parse().unwrap(),
                "2e".parse().unwrap()
            ]
        );
        assert_eq!(t.tree().to_string(), "((0,2),1)");
    }

    #[test]
    fn fusion_tree_parse_rejects_malformed() {
        // (input, position, token)
        let cases = [
            ("", 0, ""),
            ("((1o,1o)->1e,1o)", 16, ""),
            ("((1o,1o)->1e,1o)->", 18, ""),
            ("(1o 1o)->1e", 4, "1"),
            ("(1o,1o->1e", 6, "-"),
            ("(1o,1q)->1e", 5, "q"),
            ("(1o,1o)->1e)", 11, ")"),
            ("(1o,1o)-1e", 7, "-"),
            ("(1o[0],1o)->1e", 7, "1o"),
            ("(1o[0],1o[0])->1e", 10, "0"),
            ("(1o[0],1o[2])->1e", 10, "2"),
            ("(1o[],1o)->1e", 4, "]"),
            ("(-1o,1o)->1e", 1, "-"),
        ];
        for (s, at, token) in cases {
            match parse(s) {
                Err(CoreError::Parse {
                    at: got_at,
                    token: got,
                    kind,
                    ..
                }) => {
                    assert_eq!((got_at, got.as_str()), (at, token), "{s:?}: {kind}");
                }
                other => panic!("{s:?}: expected a parse error, got {other:?}"),
            }
        }
        let deep = format!("{}1o{}", "(".repeat(2000), ",1o)->1o".repeat(2000));
        assert!(matches!(parse(&deep), Err(CoreError::Parse { .. })));
    }

    #[test]
    fn fusion_tree_parse_rejects_inadmissible_vertices() {
        let e = parse("(1o,1o)->3e").unwrap_err();
        assert_eq!(
            e,
            CoreError::Triangle {
                j1: "1".into(),
                j2: "1".into(),
                j3: "3".into()
            }
        );
        let e = parse("((1o,1o)->1e,1o)->0e").unwrap_err();
        assert!(matches!(e, CoreError::Invalid(_)));
        assert!(e.to_string().contains("vertex ((1o,1o)->1e,1o)->0e"), "{e}");
        let e = parse("((1o,1o)->1o,1o)->0e").unwrap_err();
        assert!(e.to_string().contains("vertex (1o,1o)->1o"), "{e}");
        let e = parse("(1o,(1o[1],1o[2])->1o)->0e").unwrap_err();
        assert!(matches!(e, CoreError::Parse { at: 1, .. }), "{e}");
        let e = parse("((1o[0],1o[2])->1o,1o[1])->1o").unwrap_err();
        assert!(e.to_string().contains("vertex (1o[0],1o[2])->1o"), "{e}");
        let h = "(1/2e,1/2e)->1/2e";
        assert!(matches!(parse(h), Err(CoreError::Triangle { .. })));
    }
}
