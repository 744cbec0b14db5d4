//! Parameter economy of a network: per layer, the parameters spent against the rank its
//! product layer spans and the exact number of independent symmetric couplings, for the model
//! as described and with its product replaced by a (non-)parsimonious fusion block.

use std::fmt;

use racah_core::{Irreps, MulIrrep};
use racah_numeric::network::{Architecture, Component, Network, NetworkSpec};
use racah_numeric::{FusionBlock, FusionBlockOptions, LeafOrder, Linear, TensorProduct};
use rug::Integer;
use serde::Serialize;

use super::block_rank::channel_irreps;
use super::{analyse_block, BlockReport, CountingError, DependentPath};

/// Which product layer a model is analysed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProductVariant {
    /// The product as the description builds it (MACE: its `features.parsimonious`;
    /// Cormorant: the channel-wise CG square over term pairs i1 ≤ i2).
    AsDescribed,
    /// A parsimonious fusion block: one path per independent symmetric coupling (MACE:
    /// `parsimonious = true`; Cormorant: a ν = 2 block on the hidden irreps in place of the CG
    /// square).
    ParsimoniousFusion,
    /// A fusion block with every labelled tree over sorted leaves (MACE: `parsimonious =
    /// false`; Cormorant: a non-parsimonious ν = 2 block in place of the CG square).
    FullFusion,
}

/// One layer: parameters, and what its product component spans.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LayerEconomy {
    /// The layer, `"layer 1"`.
    pub layer: String,
    /// The product component, e.g. `"product: fusion block (parsimonious)"`.
    pub component: String,
    /// Parameters of the layer (interaction, product, linears, readout).
    pub parameters: usize,
    /// Parameters of the product component alone (paths × channels × elements).
    pub product_parameters: usize,
    /// The number of product paths (for Cormorant, instructions of the CG square).
    pub paths: usize,
    /// The rank the paths span, summed over body orders and output irreps.
    pub rank: usize,
    /// Independent symmetric couplings Sym^ν(V) → L, summed over the same groups (exact).
    #[serde(serialize_with = "super::serialize_integer")]
    pub count: Integer,
    /// Rank = count in every group.
    pub complete: bool,
    /// No path dependent on the others.
    pub parsimonious: bool,
    /// Per body order and output irrep: count, rank and the redundant paths, named.
    pub report: BlockReport,
}

impl LayerEconomy {
    /// The paths that add nothing (named, with what they depend on).
    pub fn redundant(&self) -> Vec<&DependentPath> {
        self.report.redundant()
    }
}

/// A model (as described or a variant): its product layers' economy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelEconomy {
    /// Which product the layers use.
    pub variant: ProductVariant,
    /// A one-line description of the product, e.g. `"fusion block, parsimonious = true"`.
    pub description: String,
    /// Parameters outside the layers (the species embedding).
    pub embedding_parameters: usize,
    /// Layer by layer.
    pub layers: Vec<LayerEconomy>,
}

impl ModelEconomy {
    /// All parameters.
    pub fn total_parameters(&self) -> usize {
        self.embedding_parameters + self.layers.iter().map(|l| l.parameters).sum::<usize>()
    }

    /// Parameters of the product components.
    pub fn product_parameters(&self) -> usize {
        self.layers.iter().map(|l| l.product_parameters).sum()
    }

    /// Every product layer is complete.
    pub fn is_complete(&self) -> bool {
        self.layers.iter().all(|l| l.complete)
    }

    /// No product layer has a redundant path.
    pub fn is_parsimonious(&self) -> bool {
        self.layers.iter().all(|l| l.parsimonious)
    }

    /// The rank per (layer, body order, output term), in order.
    pub fn ranks(&self) -> Vec<usize> {
        self.layers
            .iter()
            .flat_map(|l| l.report.groups.iter().map(|g| g.rank))
            .collect()
    }
}

/// A model side by side with its variant: parameters, rank and completeness per layer.
///
/// # Examples
/// See [`model_economy`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EconomyReport {
    /// The model's name.
    pub model: String,
    /// `"mace"` or `"cormorant"`.
    pub architecture: String,
    /// The model as described (column A).
    pub described: ModelEconomy,
    /// The variant (column B): MACE with `parsimonious` toggled, Cormorant with a parsimonious
    /// ν = 2 fusion block in place of the CG square.
    pub variant: ModelEconomy,
}

impl EconomyReport {
    /// The side whose products are parsimonious fusion blocks (the variant unless the
    /// description already is one).
    pub fn parsimonious_side(&self) -> &ModelEconomy {
        if self.described.variant == ProductVariant::ParsimoniousFusion {
            &self.described
        } else {
            &self.variant
        }
    }

    /// The other side.
    pub fn reference_side(&self) -> &ModelEconomy {
        if self.described.variant == ProductVariant::ParsimoniousFusion {
            &self.variant
        } else {
            &self.described
        }
    }

    /// Equal expressivity with no more parameters: both sides span the same rank in every
    /// (layer, body order, output) group, and the parsimonious side has no more parameters.
    pub fn parsimony_pays(&self) -> bool {
        let (p, r) = (self.parsimonious_side(), self.reference_side());
        p.ranks() == r.ranks() && p.total_parameters() <= r.total_parameters()
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

impl fmt::Display for EconomyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (&self.described, &self.variant);
        writeln!(
            f,
            "parameter economy of {} ({})",
            self.model, self.architecture
        )?;
        writeln!(f, "  A = as described: {}", a.description)?;
        writeln!(f, "  B = variant:      {}", b.description)?;
        writeln!(
            f,
            "rank = independent maps the product paths span (per channel, summed over body \
             order and output irrep); count = exact Sym^nu(V) -> L couplings"
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<10} {:>19}  {:>19}  {:>13}  {:>11}  {:>6}  {:>9}  {:>9}",
            "", "parameters", "product params", "paths", "rank", "count", "complete", "redundant"
        )?;
        writeln!(
            f,
            "{:<10} {:>9} {:>9}  {:>9} {:>9}  {:>6} {:>6}  {:>5} {:>5}  {:>6}  {:>4} {:>4}  {:>4} {:>4}",
            "", "A", "B", "A", "B", "A", "B", "A", "B", "", "A", "B", "A", "B"
        )?;
        writeln!(
            f,
            "{:<10} {:>9} {:>9}",
            "embedding", a.embedding_parameters, b.embedding_parameters
        )?;
        for (la, lb) in a.layers.iter().zip(&b.layers) {
            writeln!(
                f,
                "{:<10} {:>9} {:>9}  {:>9} {:>9}  {:>6} {:>6}  {:>5} {:>5}  {:>6}  {:>4} {:>4}  {:>4} {:>4}",
                la.layer,
                la.parameters,
                lb.parameters,
                la.product_parameters,
                lb.product_parameters,
                la.paths,
                lb.paths,
                la.rank,
                lb.rank,
                la.count.to_string(),
                yes(la.complete),
                yes(lb.complete),
                la.redundant().len(),
                lb.redundant().len()
            )?;
        }
        writeln!(
            f,
            "{:<10} {:>9} {:>9}  {:>9} {:>9}",
            "total",
            a.total_parameters(),
            b.total_parameters(),
            a.product_parameters(),
            b.product_parameters()
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "per body order nu and output L (count; rank A / rank B):"
        )?;
        for (la, lb) in a.layers.iter().zip(&b.layers) {
            let mut cells = Vec::new();
            for (ga, gb) in la.report.groups.iter().zip(&lb.report.groups) {
                let mark = if ga.count == ga.rank && gb.count == gb.rank {
                    ""
                } else {
                    " (incomplete)"
                };
                cells.push(format!(
                    "nu={} {}: {}; {}/{}{mark}",
                    ga.body_order, ga.output, ga.count, ga.rank, gb.rank
                ));
            }
            writeln!(f, "  {}: {}", la.layer, cells.join(", "))?;
        }
        let p = self.parsimonious_side();
        let r = self.reference_side();
        writeln!(f)?;
        writeln!(
            f,
            "verdict: the parsimonious side ({}) spans {} rank with {} parameters ({} vs {}){}",
            if std::ptr::eq(p, a) { "A" } else { "B" },
            if p.ranks() == r.ranks() {
                "the same"
            } else {
                "a DIFFERENT"
            },
            if p.total_parameters() <= r.total_parameters() {
                "no more"
            } else {
                "MORE"
            },
            p.total_parameters(),
            r.total_parameters(),
            if p.is_complete() && r.is_complete() {
                "; every product layer is complete on both sides"
            } else {
                "; some product layer is INCOMPLETE"
            }
        )?;
        for (side, m) in [("A", a), ("B", b)] {
            for l in &m.layers {
                if !l.redundant().is_empty() || !l.complete {
                    writeln!(f)?;
                    writeln!(f, "{side}, {} ({}): {}", l.layer, l.component, l.report)?;
                }
            }
        }
        Ok(())
    }
}

fn net_err(e: impl fmt::Display) -> CountingError {
    CountingError::Network(e.to_string())
}

/// The parameters of layer `layer` (from [`Network::parameter_table`]): `(total, product)`,
/// where the product component is the one named `product`.
fn layer_parameters(
    net: &Network,
    layer: &str,
    product: &str,
) -> Result<(usize, usize), CountingError> {
    let table = net.parameter_table().map_err(net_err)?;
    let (_, comps) = table
        .iter()
        .find(|(name, _)| name == layer)
        .ok_or_else(|| net_err(format!("no parameters of {layer}")))?;
    let total = comps.iter().map(|(_, n)| n).sum();
    let prod = comps
        .iter()
        .find(|(c, _)| c == product)
        .map_or(0, |(_, n)| *n);
    Ok((total, prod))
}

fn embedding_parameters(net: &Network) -> Result<usize, CountingError> {
    Ok(net
        .parameter_table()
        .map_err(net_err)?
        .iter()
        .filter(|(name, _)| name == "embedding")
        .flat_map(|(_, c)| c.iter().map(|(_, n)| n))
        .sum())
}

fn layer_of(report: BlockReport, layer: String, component: String) -> LayerEconomy {
    LayerEconomy {
        layer,
        component,
        parameters: 0,
        product_parameters: 0,
        paths: report.num_paths,
        rank: report.rank(),
        count: report.count(),
        complete: report.is_complete(),
        parsimonious: report.is_parsimonious(),
        report,
    }
}

fn fusion_label(parsimonious: bool) -> &'static str {
    if parsimonious {
        "parsimonious"
    } else {
        "every sorted labelled tree"
    }
}

/// MACE: the product basis of every layer, analysed whole.
fn mace_layers(net: &Network) -> Result<Vec<LayerEconomy>, CountingError> {
    let parsimonious = net.spec().parsimonious;
    // (layer, analysis and number of weights of its block)
    type Analysed = Result<(BlockReport, usize), CountingError>;
    let mut found: Vec<(String, Analysed)> = Vec::new();
    net.visit_components::<f64>(|layer, _, c| {
        if let Component::FusionBlock(block) = c {
            found.push((
                layer.to_string(),
                analyse_block(block, None).map(|r| (r, block.weight_numel())),
            ));
        }
    })
    .map_err(net_err)?;
    let mut out = Vec::new();
    for (layer, analysed) in found {
        let (report, numel) = analysed?;
        let (total, product) = layer_parameters(net, &layer, "product: fusion block")?;
        debug_assert_eq!(product, numel);
        let component = format!("product: fusion block ({})", fusion_label(parsimonious));
        let mut l = layer_of(report, layer, component);
        l.parameters = total;
        l.product_parameters = product;
        out.push(l);
    }
    Ok(out)
}

/// The distinct irreps of `irreps`, one channel each, in order of first appearance.
fn distinct(irreps: &Irreps) -> Irreps {
    let mut out = Irreps::new();
    for t in irreps.iter() {
        if !out.contains(t.irrep) {
            out.push(MulIrrep::new(1, t.irrep));
        }
    }
    out
}

/// A Cormorant layer's CG square and what it feeds: the square, and the parameters of the
/// linear map reading it.
struct CgSquare {
    layer: String,
    tp: TensorProduct<f64>,
    lin_prod_numel: usize,
}

fn cg_squares(net: &Network) -> Result<Vec<CgSquare>, CountingError> {
    let mut out: Vec<CgSquare> = Vec::new();
    net.visit_components::<f64>(|layer, name, c| match c {
        Component::TensorProduct(tp) if name == "CG square (uuu)" => out.push(CgSquare {
            layer: layer.to_string(),
            tp: tp.clone(),
            lin_prod_numel: 0,
        }),
        Component::Linear(lin) if name == "update: linear (CG square)" => {
            if let Some(last) = out.last_mut() {
                last.lin_prod_numel = lin.weight_numel();
            }
        }
        _ => {}
    })
    .map_err(net_err)?;
    Ok(out)
}

/// The ν = 2 fusion block equivalent to a CG square on `h` (one channel of each term in, the
/// distinct hidden irreps out, sorted leaves), and the ν = 2 paths a variant keeps: those whose
/// two leaf terms have equal multiplicity (as the CG square pairs them).
fn square_block(
    h: &Irreps,
    hidden: &Irreps,
    parsimonious: bool,
) -> Result<(FusionBlock<f64>, Vec<usize>), CountingError> {
    let block = FusionBlock::<f64>::new(
        &channel_irreps(h),
        2,
        &distinct(hidden),
        FusionBlockOptions::new(LeafOrder::Sorted, parsimonious),
    )?;
    let muls: Vec<usize> = h.iter().map(|t| t.mul).collect();
    let keep = block
        .paths()
        .iter()
        .enumerate()
        .filter(|(_, p)| p.body_order() == 2 && muls[p.leaf_terms()[0]] == muls[p.leaf_terms()[1]])
        .map(|(i, _)| i)
        .collect();
    Ok((block, keep))
}

/// Analyses `selection` of `block` at body order 2 only (body order 1 of a Cormorant update is
/// its linear self-interaction, not the product).
fn analyse_square(
    block: &FusionBlock<f64>,
    selection: &[usize],
) -> Result<BlockReport, CountingError> {
    let mut report = analyse_block(block, Some(selection))?;
    report.groups.retain(|g| g.body_order == 2);
    Ok(report)
}

/// Cormorant: the CG square of every layer (as described), or a ν = 2 fusion block in its
/// place (parameters: paths × channels; the linear map reading it resized to the block's
/// outputs).
fn cormorant_layers(
    net: &Network,
    variant: ProductVariant,
) -> Result<Vec<LayerEconomy>, CountingError> {
    let hidden = &net.spec().hidden;
    let mut out = Vec::new();
    for sq in cg_squares(net)? {
        let h = sq.tp.irreps_in1().clone();
        let (total, product) = layer_parameters(net, &sq.layer, "CG square: weights")?;
        let l = match variant {
            ProductVariant::AsDescribed => {
                let (block, _) = square_block(&h, hidden, false)?;
                let mut selection = Vec::new();
                for ins in sq.tp.instructions() {
                    let out_irrep = sq.tp.irreps_out()[ins.i_out].irrep;
                    let p = block
                        .paths()
                        .iter()
                        .position(|p| {
                            p.leaf_terms() == [ins.i_in1, ins.i_in2] && p.output() == out_irrep
                        })
                        .ok_or_else(|| {
                            net_err(format!(
                                "{}: CG square path ({}, {}) -> {out_irrep} has no fusion path",
                                sq.layer, h[ins.i_in1].irrep, h[ins.i_in2].irrep
                            ))
                        })?;
                    selection.push(p);
                }
                let report = analyse_square(&block, &selection)?;
                let mut l = layer_of(report, sq.layer.clone(), "CG square (uuu)".into());
                l.parameters = total;
                l.product_parameters = product;
                l
            }
            ProductVariant::ParsimoniousFusion | ProductVariant::FullFusion => {
                let pars = variant == ProductVariant::ParsimoniousFusion;
                let (block, keep) = square_block(&h, hidden, pars)?;
                let report = analyse_square(&block, &keep)?;
                let mut tp_out = Irreps::new();
                let mut numel = 0;
                for &p in &keep {
                    let path = &block.paths()[p];
                    let mul = h[path.leaf_terms()[0]].mul;
                    numel += mul;
                    tp_out.push(MulIrrep::new(mul, path.output()));
                }
                let lin_prod = if tp_out.is_empty() {
                    0
                } else {
                    Linear::<f64>::new(&tp_out, hidden)
                        .map_err(net_err)?
                        .weight_numel()
                };
                let component = format!("nu=2 fusion block ({})", fusion_label(pars));
                let mut l = layer_of(report, sq.layer.clone(), component);
                l.parameters = total - product - sq.lin_prod_numel + numel + lin_prod;
                l.product_parameters = numel;
                l
            }
        };
        out.push(l);
    }
    Ok(out)
}

fn describe(spec: &NetworkSpec, variant: ProductVariant) -> String {
    match (spec.architecture, variant) {
        (Architecture::Mace, _) => format!(
            "product basis = fusion block of body order {} with {} (features.parsimonious = {})",
            spec.correlation,
            if spec.parsimonious {
                "one path per independent symmetric coupling"
            } else {
                "every labelled tree over sorted leaves"
            },
            spec.parsimonious
        ),
        (_, ProductVariant::AsDescribed) => {
            "channel-wise CG square TP_uuu(h, h) over term pairs i1 <= i2".into()
        }
        (_, v) => format!(
            "CG square replaced by a body-order-2 fusion block on h with {} \
             (parameters = paths x channels)",
            if v == ProductVariant::ParsimoniousFusion {
                "one path per independent symmetric coupling"
            } else {
                "every labelled tree over sorted leaves"
            }
        ),
    }
}

/// The economy of one variant of `net`'s product layers ([`ProductVariant`]).
///
/// MACE variants are networks rebuilt with `features.parsimonious` set (so their parameter
/// tables are exact); a Cormorant variant replaces each CG square by a ν = 2 fusion block,
/// counted as paths × channels, with the linear map reading it resized to its outputs.
///
/// # Errors
/// [`CountingError::Network`] if a variant network cannot be built; errors of
/// [`analyse_block`].
///
/// # Examples
/// ```
/// use racah_numeric::network::Network;
/// use racah_proofs::counting::{model_economy_variant, ProductVariant};
/// let net = Network::from_toml_str(r#"
///     name = "tiny"
///     architecture = "mace"
///     species = ["H"]
///     cutoff = 3.0
///     [features]
///     hidden = "2x0e+2x1o"
///     sh_lmax = 1
///     layers = 1
///     correlation = 3
/// "#)?;
/// let full = model_economy_variant(&net, ProductVariant::FullFusion)?;
/// // Sym³(0e+1o) → 1o has 2 couplings; ((1o,1o)->1e,1o)->1o and ((1o,1o)->2e,1o)->1o repeat them
/// assert!(full.is_complete() && !full.is_parsimonious());
/// let lean = model_economy_variant(&net, ProductVariant::ParsimoniousFusion)?;
/// assert_eq!(lean.ranks(), full.ranks());
/// assert!(lean.total_parameters() < full.total_parameters());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn model_economy_variant(
    net: &Network,
    variant: ProductVariant,
) -> Result<ModelEconomy, CountingError> {
    let spec = net.spec();
    match spec.architecture {
        Architecture::Mace => {
            let want = match variant {
                ProductVariant::AsDescribed => spec.parsimonious,
                ProductVariant::ParsimoniousFusion => true,
                ProductVariant::FullFusion => false,
            };
            let rebuilt;
            let model = if want == spec.parsimonious {
                net
            } else {
                let mut s = spec.clone();
                s.parsimonious = want;
                rebuilt = Network::new(s).map_err(net_err)?;
                &rebuilt
            };
            let v = if want {
                ProductVariant::ParsimoniousFusion
            } else {
                ProductVariant::FullFusion
            };
            Ok(ModelEconomy {
                variant: v,
                description: describe(model.spec(), v),
                embedding_parameters: embedding_parameters(model)?,
                layers: mace_layers(model)?,
            })
        }
        _ => Ok(ModelEconomy {
            variant,
            description: describe(spec, variant),
            embedding_parameters: embedding_parameters(net)?,
            layers: cormorant_layers(net, variant)?,
        }),
    }
}

/// The parameter economy of `net` side by side: as described (A) and a variant (B) — for
/// MACE, `features.parsimonious` toggled (so either side may be the parsimonious one); for
/// Cormorant, every CG square replaced by a parsimonious ν = 2 fusion block on h. Per layer:
/// parameters, product parameters, paths, the rank spanned per body order and output irrep
/// ([`analyse_block`]), the exact count, completeness and the redundant paths, named.
///
/// ```text
/// rank(ν, L) = rank{ x ↦ Tree_p(x, …, x) : p of body order ν → L }  ≤  mult(L, Sym^ν(V))
/// ```
///
/// # Convention
/// Counts are per channel (V = one channel of the product's input); real basis of e3nn
/// (`CONVENTIONS.md#networks`).
///
/// # Errors
/// As [`model_economy_variant`].
///
/// # Examples
/// ```
/// use racah_numeric::network::Network;
/// use racah_proofs::counting::model_economy;
/// let net = Network::from_toml_str(r#"
///     name = "tiny"
///     architecture = "mace"
///     species = ["H"]
///     cutoff = 3.0
///     [features]
///     hidden = "2x0e+2x1o"
///     sh_lmax = 1
///     layers = 1
///     correlation = 3
/// "#)?;
/// let e = model_economy(&net)?;
/// assert!(e.parsimony_pays(), "{e}");
/// assert!(e.described.is_complete() && e.described.is_parsimonious());
/// assert!(!e.variant.is_parsimonious()); // parsimonious = false wastes paths
/// assert!(e.described.total_parameters() < e.variant.total_parameters());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn model_economy(net: &Network) -> Result<EconomyReport, CountingError> {
    let spec = net.spec();
    let described = model_economy_variant(net, ProductVariant::AsDescribed)?;
    let other = match spec.architecture {
        Architecture::Mace if spec.parsimonious => ProductVariant::FullFusion,
        _ => ProductVariant::ParsimoniousFusion,
    };
    let variant = model_economy_variant(net, other)?;
    Ok(EconomyReport {
        model: spec.name.clone(),
        architecture: match spec.architecture {
            Architecture::Mace => "mace",
            Architecture::Cormorant => "cormorant",
        }
        .to_string(),
        described,
        variant,
    })
}

/// The completeness/parsimony section of a model's certificate: for every layer, its product
/// layer analysed as a fusion block (MACE: the product basis; Cormorant: the CG square as the
/// equivalent ν = 2 block), labelled `"layer 1: product: fusion block (parsimonious)"`.
///
/// # Errors
/// As [`model_economy_variant`].
///
/// # Examples
/// ```
/// use racah_numeric::network::Network;
/// use racah_proofs::counting::fusion_block_sections;
/// let net = Network::from_toml_str(r#"
///     name = "tiny"
///     architecture = "cormorant"
///     species = ["H"]
///     cutoff = 3.0
///     [features]
///     hidden = "2x0e+2x1o+2x1e"
///     layers = 2
/// "#)?;
/// let sections = fusion_block_sections(&net)?;
/// assert_eq!(sections.len(), 2);
/// // layer 2 squares 1o and 1e channel by channel: (1o,1o)->1e vanishes on equal copies
/// assert!(sections[1].1.redundant().iter().any(|d| d.path == "(1o,1o)->1e"), "{}", sections[1].1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn fusion_block_sections(net: &Network) -> Result<Vec<(String, BlockReport)>, CountingError> {
    Ok(model_economy_variant(net, ProductVariant::AsDescribed)?
        .layers
        .into_iter()
        .map(|l| (format!("{}: {}", l.layer, l.component), l.report))
        .collect())
}
