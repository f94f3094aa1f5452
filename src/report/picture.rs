//! Pictures as SVG, drawn with `plotters`: the competency chart (each
//! checklist's requirements by id prefix, shared blocks in cool colours,
//! its own in warm ones), the designation graph (and its DOT), and a
//! partner's history (each requirement's margin over time, the eligible
//! tier as a band, the review date marked).
//!
//! Every picture carries its own white background, so it reads the same on
//! light and dark pages; its text is real `<text>` (data made legal for
//! XML, which the backend then escapes).

use std::collections::BTreeMap;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::competency::{Catalog, CatalogPath};
use crate::escape::xml_legal;
use crate::history::MarginSeries;
use crate::tiers::Tier;

/// Colours for shared (block) requirements: cool, distinct.
const SHARED: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0x17, 0xbe, 0xcf),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0x39, 0x3b, 0x79),
    RGBColor(0x6b, 0x6e, 0xcf),
    RGBColor(0x63, 0x79, 0x39),
    RGBColor(0x9e, 0xda, 0xe5),
    RGBColor(0xae, 0xc7, 0xe8),
    RGBColor(0x98, 0xdf, 0x8a),
    RGBColor(0x8c, 0xa2, 0x52),
];

/// Colours for a checklist's own requirements: warm, distinct.
const OWN: [RGBColor; 10] = [
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0xff, 0x98, 0x96),
    RGBColor(0xff, 0xbb, 0x78),
    RGBColor(0xc5, 0xb0, 0xd5),
    RGBColor(0xf7, 0xb6, 0xd2),
];

/// Twenty distinct colours for series (the two families together).
fn series_colour(index: usize) -> RGBColor {
    let all: Vec<RGBColor> = SHARED
        .iter()
        .zip(OWN.iter())
        .flat_map(|(a, b)| [*a, *b])
        .collect();
    all[index % all.len()]
}

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xcc, 0xcc, 0xcc);

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&INK)
}

/// Draws `text` (made legal for XML) at `at`, anchored by `anchor`.
fn label<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    at: (i32, i32),
    size: u32,
    anchor: (HPos, VPos),
) {
    let style = font(size).pos(Pos::new(anchor.0, anchor.1));
    // A drawing error on an in-memory SVG string cannot happen; a missing
    // label would be the only loss.
    let _ = area.draw(&Text::new(xml_legal(text).into_owned(), at, style));
}

/// Ink readable on `fill`: white on dark colours, else the usual ink.
fn ink_on(fill: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = fill;
    let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luminance < 110.0 { WHITE } else { INK }
}

/// Draws `text` centred on a filled shape of colour `fill`.
fn label_on<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    text: &str,
    at: (i32, i32),
    size: u32,
    fill: RGBColor,
) {
    let style = ("sans-serif", size)
        .into_font()
        .color(&ink_on(fill))
        .pos(Pos::new(HPos::Center, VPos::Center));
    let _ = area.draw(&Text::new(xml_legal(text).into_owned(), at, style));
}

fn rectangle<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    from: (i32, i32),
    to: (i32, i32),
    colour: RGBColor,
) {
    let _ = area.draw(&Rectangle::new([from, to], colour.filled()));
}

fn svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>),
) -> String {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        draw(&root);
        let _ = root.present();
    }
    text
}

/// One bar segment: a shared block (by index) or one of the checklist's
/// own id prefixes, and its count.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// The requirements of a block the checklist includes.
    Block(usize, usize),
    /// The checklist's own requirements with this prefix.
    Own(String, usize),
}

impl Segment {
    fn count(&self) -> usize {
        match self {
            Segment::Block(_, count) | Segment::Own(_, count) => *count,
        }
    }
}

/// Each checklist's segments: its blocks in order, then its own
/// requirements by prefix.
fn segments(catalog: &Catalog, checklist: usize) -> Vec<Segment> {
    let checklist = &catalog.checklists[checklist];
    let mut own: BTreeMap<String, usize> = BTreeMap::new();
    for identity in &checklist.own {
        let prefix = crate::competency::id::prefix(&catalog.requirements[*identity].id);
        *own.entry(prefix.to_owned()).or_default() += 1;
    }
    checklist
        .blocks
        .iter()
        .map(|block| Segment::Block(*block, catalog.blocks[*block].requirements.len()))
        .chain(
            own.into_iter()
                .map(|(prefix, count)| Segment::Own(prefix, count)),
        )
        .collect()
}

/// The checklists [`chart`] draws a bar for, for `path`.
pub fn chart_checklists(catalog: &Catalog, path: Option<CatalogPath>) -> Vec<usize> {
    (0..catalog.checklists.len())
        .filter(|index| path.is_none_or(|path| catalog.checklists[*index].path == path))
        .collect()
}

/// Stacked bars, one per checklist: the blocks it shares with others (one
/// cool colour each, named in the legend), then its own requirements by
/// id prefix (warm colours, each segment named on the bar when it fits).
pub fn chart(catalog: &Catalog, path: Option<CatalogPath>) -> String {
    let checklists = chart_checklists(catalog, path);
    let bars: Vec<(usize, Vec<Segment>)> = checklists
        .iter()
        .map(|index| (*index, segments(catalog, *index)))
        .collect();
    let mut blocks: Vec<usize> = bars
        .iter()
        .flat_map(|(_, segments)| segments.iter())
        .filter_map(|segment| match segment {
            Segment::Block(block, _) => Some(*block),
            Segment::Own(..) => None,
        })
        .collect();
    blocks.sort_unstable();
    blocks.dedup();
    let most = bars
        .iter()
        .map(|(_, segments)| segments.iter().map(Segment::count).sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let (left, right, top, row) = (190_i32, 60_i32, 70_i32, 34_i32);
    let width = 1100_i32;
    let rows = i32::try_from(bars.len()).unwrap_or(0);
    let legend_rows = i32::try_from(blocks.len().div_ceil(3)).unwrap_or(0);
    let height = top + row * rows + 50 + 24 * legend_rows;
    let scale = f64::from(width - left - right) / most as f64;
    let title = match path {
        Some(path) => format!("Requirements per checklist ({} path)", path.as_str()),
        None => "Requirements per checklist".to_owned(),
    };
    svg(width as u32, height.max(120) as u32, |root| {
        label(root, &title, (20, 24), 20, (HPos::Left, VPos::Center));
        label(
            root,
            "cool colours: blocks shared with other checklists · warm colours: the checklist's own requirements, by id prefix",
            (20, 48),
            13,
            (HPos::Left, VPos::Center),
        );
        for (row_index, (index, segments)) in bars.iter().enumerate() {
            let y = top + row * i32::try_from(row_index).unwrap_or(0);
            let checklist = &catalog.checklists[*index];
            label(
                root,
                &checklist.id,
                (left - 10, y + row / 2 - 2),
                13,
                (HPos::Right, VPos::Center),
            );
            let mut x = f64::from(left);
            let mut own = 0;
            for segment in segments {
                let count = segment.count();
                let to = x + count as f64 * scale;
                let (colour, text) = match segment {
                    Segment::Block(block, _) => {
                        let slot = blocks.iter().position(|held| held == block).unwrap_or(0);
                        (SHARED[slot % SHARED.len()], count.to_string())
                    }
                    Segment::Own(prefix, _) => {
                        own += 1;
                        (OWN[(own - 1) % OWN.len()], format!("{prefix} {count}"))
                    }
                };
                rectangle(
                    root,
                    (x.round() as i32, y + 4),
                    (to.round() as i32, y + row - 8),
                    colour,
                );
                let room = to - x;
                let shown = if room >= 7.5 * text.len() as f64 + 6.0 {
                    Some(text)
                } else if room >= 18.0 {
                    Some(count.to_string())
                } else {
                    None
                };
                if let Some(shown) = shown {
                    label_on(
                        root,
                        &shown,
                        (((x + to) / 2.0).round() as i32, y + row / 2 - 2),
                        11,
                        colour,
                    );
                }
                x = to;
            }
            let total: usize = segments.iter().map(Segment::count).sum();
            label(
                root,
                &total.to_string(),
                (x.round() as i32 + 6, y + row / 2 - 2),
                12,
                (HPos::Left, VPos::Center),
            );
        }
        let legend_top = top + row * rows + 20;
        for (position, block) in blocks.iter().enumerate() {
            let column = i32::try_from(position % 3).unwrap_or(0);
            let line = i32::try_from(position / 3).unwrap_or(0);
            let x = 20 + column * 360;
            let y = legend_top + line * 24;
            rectangle(
                root,
                (x, y),
                (x + 14, y + 14),
                SHARED[position % SHARED.len()],
            );
            let block = &catalog.blocks[*block];
            label(
                root,
                &format!("{} ({})", block.name, block.requirements.len()),
                (x + 20, y + 7),
                12,
                (HPos::Left, VPos::Center),
            );
        }
    })
}

/// What every pair of designations shares, and the most any pair shares
/// (at least 1): the graph's edges and their scale, for SVG and DOT alike.
fn sharing(catalog: &Catalog) -> (crate::competency::path::Overlap, usize) {
    let all: Vec<usize> = (0..catalog.checklists.len()).collect();
    let overlap = crate::competency::path::overlap(catalog, &all);
    let most = overlap
        .pairs
        .iter()
        .map(|pair| pair.shared)
        .max()
        .unwrap_or(1)
        .max(1);
    (overlap, most)
}

/// The designations as nodes on a circle, an edge for each pair that
/// shares requirements, as wide as they share.
pub fn graph_svg(catalog: &Catalog) -> String {
    let (overlap, most) = sharing(catalog);
    let all: Vec<usize> = (0..catalog.checklists.len()).collect();
    let (width, height) = (1000_i32, 820_i32);
    let (cx, cy, radius) = (
        f64::from(width) / 2.0,
        f64::from(height) / 2.0 + 20.0,
        300.0,
    );
    let count = all.len().max(1) as f64;
    let place = |index: usize| {
        let angle = std::f64::consts::TAU * index as f64 / count - std::f64::consts::FRAC_PI_2;
        (cx + radius * angle.cos(), cy + radius * angle.sin())
    };
    svg(width as u32, height as u32, |root| {
        label(
            root,
            "Designations and the requirements they share",
            (20, 24),
            20,
            (HPos::Left, VPos::Center),
        );
        label(
            root,
            "edge width and label: shared requirements · node: the designation's requirements",
            (20, 48),
            13,
            (HPos::Left, VPos::Center),
        );
        for pair in overlap.pairs.iter().filter(|pair| pair.shared > 0) {
            let (a, b) = (place(pair.a), place(pair.b));
            let stroke = 1 + (7 * pair.shared / most) as u32;
            let _ = root.draw(&PathElement::new(
                vec![(a.0 as i32, a.1 as i32), (b.0 as i32, b.1 as i32)],
                GRID.mix(0.9).stroke_width(stroke),
            ));
            let middle = (((a.0 + b.0) / 2.0) as i32, ((a.1 + b.1) / 2.0) as i32);
            label(
                root,
                &pair.shared.to_string(),
                middle,
                12,
                (HPos::Center, VPos::Center),
            );
        }
        for index in &all {
            let (x, y) = place(*index);
            let checklist = &catalog.checklists[*index];
            let colour = if checklist.path == CatalogPath::Consulting {
                SHARED[0]
            } else {
                OWN[1]
            };
            let _ = root.draw(&Circle::new((x as i32, y as i32), 22, colour.filled()));
            label_on(
                root,
                &checklist.all.len().to_string(),
                (x as i32, y as i32),
                12,
                colour,
            );
            let below = if y > cy { 36 } else { -36 };
            label(
                root,
                &checklist.id,
                (x as i32, y as i32 + below),
                13,
                (HPos::Center, VPos::Center),
            );
        }
        label(
            root,
            "blue: consulting path · orange: software path",
            (20, height - 20),
            12,
            (HPos::Left, VPos::Center),
        );
    })
}

/// The same graph in Graphviz DOT.
pub fn graph_dot(catalog: &Catalog) -> String {
    use crate::escape::dot;
    let (overlap, most) = sharing(catalog);
    let mut text = String::from("graph designations {\n  node [shape=ellipse];\n");
    for checklist in &catalog.checklists {
        text.push_str(&format!(
            "  \"{}\" [label=\"{}\\n{} requirements\", path=\"{}\"];\n",
            dot(&checklist.id),
            dot(&checklist.name),
            checklist.all.len(),
            checklist.path.as_str()
        ));
    }
    for pair in overlap.pairs.iter().filter(|pair| pair.shared > 0) {
        text.push_str(&format!(
            "  \"{}\" -- \"{}\" [label=\"{}\", weight={}, penwidth={:.1}];\n",
            dot(&catalog.checklists[pair.a].id),
            dot(&catalog.checklists[pair.b].id),
            pair.shared,
            pair.shared,
            1.0 + 7.0 * pair.shared as f64 / most as f64
        ));
    }
    text.push_str("}\n");
    text
}

/// A partner's history: each requirement's margin (value ÷ required, its
/// weakest measure) at its current tier over the dates, met on or above
/// the line at 1; the eligible tier as a band above; the review date
/// marked.
pub fn history_svg(series: &MarginSeries) -> String {
    let (width, height) = (1100_i32, 620_i32);
    let (left, right, top, bottom) = (70_i32, 280_i32, 110_i32, 60_i32);
    let plot_width = f64::from(width - left - right);
    let plot_height = f64::from(height - top - bottom);
    let ceiling = series
        .requirements
        .iter()
        .flat_map(|(_, values)| values.iter().flatten())
        .fold(2.0_f64, |most, value| most.max(*value))
        .min(4.0);
    let days = series.dates.len().max(2) - 1;
    let x_of = |index: usize| f64::from(left) + plot_width * index as f64 / days as f64;
    let y_of = |value: f64| f64::from(top) + plot_height * (1.0 - value.min(ceiling) / ceiling);
    svg(width as u32, height as u32, |root| {
        let title = format!(
            "{}: each requirement's margin at {} (value ÷ required)",
            series.partner, series.tier
        );
        label(root, &title, (20, 24), 18, (HPos::Left, VPos::Center));
        // The eligible tier as a band.
        let tier_colour = |tier: Tier| match tier {
            Tier::Registered => GRID,
            Tier::Select => SHARED[7],
            Tier::Advanced => SHARED[0],
            Tier::Premier => SHARED[3],
        };
        for (index, tier) in series.eligible.iter().enumerate() {
            let from = x_of(index);
            let to = if index + 1 < series.dates.len() {
                x_of(index + 1)
            } else {
                from + 1.0
            };
            rectangle(
                root,
                (from as i32, 56),
                (to.ceil() as i32, 76),
                tier_colour(*tier),
            );
        }
        label(
            root,
            "eligible tier",
            (left - 8, 66),
            11,
            (HPos::Right, VPos::Center),
        );
        let mut tiers_seen: Vec<Tier> = series.eligible.clone();
        tiers_seen.sort();
        tiers_seen.dedup();
        for (position, tier) in tiers_seen.iter().enumerate() {
            let x = width - right + 20;
            let y = 56 + 20 * i32::try_from(position).unwrap_or(0);
            rectangle(root, (x, y), (x + 14, y + 14), tier_colour(*tier));
            label(
                root,
                &tier.to_string(),
                (x + 20, y + 7),
                12,
                (HPos::Left, VPos::Center),
            );
        }
        // Axes: 0, the line at 1 (met), the ceiling.
        let mut ticks: Vec<f64> = (0..=ceiling.floor() as u32).map(f64::from).collect();
        if ceiling.fract() > 0.2 {
            ticks.push(ceiling);
        }
        for value in ticks {
            let y = y_of(value) as i32;
            let style = if value == 1.0 {
                INK.stroke_width(2)
            } else {
                GRID.stroke_width(1)
            };
            let _ = root.draw(&PathElement::new(
                vec![(left, y), (width - right, y)],
                style,
            ));
            label(
                root,
                &format!("{value:.1}"),
                (left - 8, y),
                11,
                (HPos::Right, VPos::Center),
            );
        }
        label(
            root,
            "met",
            (width - right + 4, y_of(1.0) as i32 - 8),
            11,
            (HPos::Left, VPos::Center),
        );
        label(
            root,
            &series
                .dates
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
            (left, height - bottom + 34),
            11,
            (HPos::Left, VPos::Center),
        );
        label(
            root,
            &series
                .dates
                .last()
                .map(ToString::to_string)
                .unwrap_or_default(),
            (width - right, height - bottom + 34),
            11,
            (HPos::Right, VPos::Center),
        );
        // The review dates: dashed, in ink (no series is drawn so).
        for review in &series.review_dates {
            if let Some(index) = series.dates.iter().position(|day| day >= review) {
                let x = x_of(index) as i32;
                for y in (top - 10..height - bottom).step_by(10) {
                    let _ = root.draw(&PathElement::new(
                        vec![(x, y), (x, (y + 6).min(height - bottom))],
                        INK.stroke_width(1),
                    ));
                }
                label(
                    root,
                    &format!("review {review}"),
                    (x + 4, top - 16),
                    11,
                    (HPos::Left, VPos::Center),
                );
            }
        }
        // A tick at the first day of each quarter.
        for (index, day) in series.dates.iter().enumerate().skip(1) {
            if chrono::Datelike::day(day) == 1 && chrono::Datelike::month(day) % 3 == 1 {
                let x = x_of(index) as i32;
                let _ = root.draw(&PathElement::new(
                    vec![(x, height - bottom), (x, height - bottom + 5)],
                    INK.stroke_width(1),
                ));
                label(
                    root,
                    &day.format("%Y-%m").to_string(),
                    (x, height - bottom + 18),
                    11,
                    (HPos::Center, VPos::Center),
                );
            }
        }
        // One line per requirement.
        for (number, (id, values)) in series.requirements.iter().enumerate() {
            let colour = series_colour(number);
            let mut run: Vec<(i32, i32)> = Vec::new();
            let flush = |run: &mut Vec<(i32, i32)>| {
                if run.len() > 1 {
                    let _ = root.draw(&PathElement::new(
                        std::mem::take(run),
                        colour.stroke_width(2),
                    ));
                }
                run.clear();
            };
            for (index, value) in values.iter().enumerate() {
                match value {
                    Some(value) => run.push((x_of(index) as i32, y_of(*value) as i32)),
                    None => flush(&mut run),
                }
            }
            flush(&mut run);
            let y = top + 20 * i32::try_from(number).unwrap_or(0);
            let x = width - right + 20;
            rectangle(root, (x, y + 40), (x + 14, y + 44), colour);
            label(root, id, (x + 20, y + 42), 12, (HPos::Left, VPos::Center));
        }
    })
}
