//! Synthetic partner files for benchmarks: deterministic (the same shape and
//! seed give the same bytes on every machine), in the contract's format, TOML
//! or JSON. Shared by the `generate_partner` example and the benchmarks.

// The benchmarks use only part of this module.
#![allow(dead_code)]

use std::io::{self, Write};

use chrono::{Days, NaiveDate};

/// How many records of each kind a generated file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// People (about three credentials each).
    pub people: usize,
    /// ACE opportunities.
    pub opportunities: usize,
    /// CSAT responses.
    pub csat_responses: usize,
    /// Revenue lines.
    pub revenue_lines: usize,
    /// Public references.
    pub references: usize,
}

impl Shape {
    /// A large partner: scale 1.0 is issue 5's target file (1,000,000
    /// opportunities, 100,000 people, 200,000 CSAT responses, 100,000 revenue
    /// lines, 50,000 references).
    pub fn large(scale: f64) -> Shape {
        let of = |count: f64| (count * scale).round().max(1.0) as usize;
        Shape {
            people: of(100_000.0),
            opportunities: of(1_000_000.0),
            csat_responses: of(200_000.0),
            revenue_lines: of(100_000.0),
            references: of(50_000.0),
        }
    }

    /// A typical partner of a portfolio: about 30 people and 60 opportunities.
    pub fn typical(rng: &mut Rng) -> Shape {
        Shape {
            people: 20 + rng.below(21) as usize,
            opportunities: 40 + rng.below(41) as usize,
            csat_responses: 10 + rng.below(31) as usize,
            revenue_lines: rng.below(25) as usize,
            references: 2 + rng.below(9) as usize,
        }
    }
}

/// The file format written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

/// The partner's track and tier, as written in the `[partner]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// `consulting` or `technology`.
    pub track: &'static str,
    /// The current tier.
    pub tier: &'static str,
}

impl Standing {
    /// An advanced consulting partner: applying for premier, so scoring it
    /// runs the sustained-attainment look-back.
    pub const ADVANCED_CONSULTING: Standing = Standing {
        track: "consulting",
        tier: "advanced",
    };

    /// A premier consulting partner: exempt from the look-back.
    pub const PREMIER_CONSULTING: Standing = Standing {
        track: "consulting",
        tier: "premier",
    };

    /// One of the track and tier pairs of the program, chosen by `rng`.
    pub fn any(rng: &mut Rng) -> Standing {
        const ALL: [Standing; 6] = [
            Standing {
                track: "consulting",
                tier: "registered",
            },
            Standing {
                track: "consulting",
                tier: "select",
            },
            Standing::ADVANCED_CONSULTING,
            Standing::PREMIER_CONSULTING,
            Standing {
                track: "technology",
                tier: "select",
            },
            Standing {
                track: "technology",
                tier: "advanced",
            },
        ];
        ALL[rng.below(ALL.len() as u64) as usize]
    }
}

/// SplitMix64: small, fast, and the same sequence everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A day in `from..=to`.
    pub fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as u64 + 1;
        from.checked_add_days(Days::new(self.below(span)))
            .unwrap_or(from)
    }

    /// An amount in cents below `dollars` dollars.
    pub fn cents(&mut self, dollars: u64) -> u64 {
        self.below(dollars * 100)
    }
}

const CERTIFICATIONS: [&str; 11] = [
    "cloud-practitioner",
    "solutions-architect-associate",
    "developer-associate",
    "sysops-administrator-associate",
    "solutions-architect-professional",
    "devops-engineer-professional",
    "advanced-networking-specialty",
    "big-data-specialty",
    "security-specialty",
    "machine-learning-specialty",
    "alexa-skill-builder-specialty",
];

const STAGES: [&str; 7] = [
    "prospect",
    "qualified",
    "technical-validation",
    "business-validation",
    "committed",
    "closed-lost",
    "launched",
];

const ORIGINS: [&str; 3] = ["partner", "aws-referred", "tagged"];

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    // The generator's fixed dates are all valid calendar dates.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// One value written in the chosen format.
enum Value<'a> {
    Text(&'a str),
    Day(NaiveDate),
    Usd(u64),
    Flag(bool),
}

/// Writes records in TOML or JSON, so that the data is generated once.
struct Writer<W: Write> {
    out: W,
    format: Format,
    /// Whether the current JSON array has an element yet.
    first_in_list: bool,
}

impl<W: Write> Writer<W> {
    fn value(&mut self, value: &Value) -> io::Result<()> {
        match (value, self.format) {
            (Value::Text(text), _) => write!(self.out, "\"{text}\""),
            (Value::Day(day), Format::Toml) => write!(self.out, "{day}"),
            (Value::Day(day), Format::Json) => write!(self.out, "\"{day}\""),
            (Value::Usd(cents), _) => write!(self.out, "{}.{:02}", cents / 100, cents % 100),
            (Value::Flag(flag), _) => write!(self.out, "{flag}"),
        }
    }

    /// An inline record: `{ a = 1, b = 2 }` or `{"a": 1, "b": 2}`.
    fn inline(&mut self, fields: &[(&str, Value)]) -> io::Result<()> {
        write!(self.out, "{{")?;
        for (index, (key, value)) in fields.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            match self.format {
                Format::Toml => write!(self.out, "{separator}{key} = ")?,
                Format::Json => write!(self.out, "{separator}\"{key}\": ")?,
            }
            self.value(value)?;
        }
        write!(self.out, "}}")
    }

    /// A key whose value is a list of inline records.
    fn inline_list(&mut self, key: &str, records: &[Vec<(&str, Value)>]) -> io::Result<()> {
        match self.format {
            Format::Toml => write!(self.out, "{key} = [")?,
            Format::Json => write!(self.out, ", \"{key}\": [")?,
        }
        for (index, record) in records.iter().enumerate() {
            if index > 0 {
                write!(self.out, ", ")?;
            }
            self.inline(record)?;
        }
        match self.format {
            Format::Toml => writeln!(self.out, "]"),
            Format::Json => write!(self.out, "]"),
        }
    }

    fn begin_list(&mut self, key: &str) -> io::Result<()> {
        self.first_in_list = true;
        match self.format {
            Format::Toml => Ok(()),
            Format::Json => write!(self.out, ",\n\"{key}\": ["),
        }
    }

    fn end_list(&mut self) -> io::Result<()> {
        match self.format {
            Format::Toml => Ok(()),
            Format::Json => write!(self.out, "\n]"),
        }
    }

    /// One record of a top-level list, its scalar fields then, for JSON,
    /// an open object that `end_record` closes.
    fn begin_record(&mut self, key: &str, fields: &[(&str, Value)]) -> io::Result<()> {
        match self.format {
            Format::Toml => {
                writeln!(self.out, "\n[[{key}]]")?;
                for (field, value) in fields {
                    write!(self.out, "{field} = ")?;
                    self.value(value)?;
                    writeln!(self.out)?;
                }
                Ok(())
            }
            Format::Json => {
                let separator = if self.first_in_list { "\n" } else { ",\n" };
                self.first_in_list = false;
                write!(self.out, "{separator}{{")?;
                for (index, (field, value)) in fields.iter().enumerate() {
                    let separator = if index == 0 { "" } else { ", " };
                    write!(self.out, "{separator}\"{field}\": ")?;
                    self.value(value)?;
                }
                Ok(())
            }
        }
    }

    fn end_record(&mut self) -> io::Result<()> {
        match self.format {
            Format::Toml => Ok(()),
            Format::Json => write!(self.out, "}}"),
        }
    }

    fn record(&mut self, key: &str, fields: &[(&str, Value)]) -> io::Result<()> {
        self.begin_record(key, fields)?;
        self.end_record()
    }
}

/// Writes one partner file of `shape` to `out`. The data spans 2016 to 2019
/// so that an as-of date of 2019-11-01 sees full 12-month windows.
pub fn write_partner(
    out: impl Write,
    format: Format,
    shape: Shape,
    standing: Standing,
    seed: u64,
) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut writer = Writer {
        out: io::BufWriter::with_capacity(1 << 16, out),
        format,
        first_in_list: true,
    };
    let name = format!("Synthetic Partner {seed}");
    let domain = format!("partner{seed}.example");
    let partner = [
        ("name", Value::Text(&name)),
        ("track", Value::Text(standing.track)),
        ("tier", Value::Text(standing.tier)),
        ("renewal_date", Value::Day(date(2019, 12, 15))),
    ];
    match format {
        Format::Toml => {
            writeln!(writer.out, "[partner]")?;
            for (key, value) in &partner {
                write!(writer.out, "{key} = ")?;
                writer.value(value)?;
                writeln!(writer.out)?;
            }
            writeln!(writer.out, "domains = [\"{domain}\"]")?;
        }
        Format::Json => {
            write!(writer.out, "{{\"partner\": ")?;
            write!(writer.out, "{{")?;
            for (key, value) in &partner {
                write!(writer.out, "\"{key}\": ")?;
                writer.value(value)?;
                write!(writer.out, ", ")?;
            }
            write!(writer.out, "\"domains\": [\"{domain}\"]}}")?;
        }
    }

    writer.begin_list("fee_payments")?;
    for year in 2016..=2019 {
        writer.record(
            "fee_payments",
            &[
                ("paid_on", Value::Day(date(year, 1, 10))),
                ("amount_usd", Value::Usd(250_000)),
            ],
        )?;
    }
    writer.end_list()?;

    let earliest = date(2016, 1, 1);
    let latest = date(2019, 12, 31);
    writer.begin_list("people")?;
    for index in 0..shape.people {
        let email = format!("person{index}@{domain}");
        let mut fields = vec![("email", Value::Text(&email))];
        if rng.chance(3) {
            fields.push(("registered", Value::Flag(false)));
        }
        writer.begin_record("people", &fields)?;
        let certifications: Vec<Vec<(&str, Value)>> = (0..1 + rng.below(3))
            .map(|_| {
                let earned = rng.day(earliest, latest);
                let cert = CERTIFICATIONS[rng.below(CERTIFICATIONS.len() as u64) as usize];
                let mut fields = vec![
                    ("cert", Value::Text(cert)),
                    ("earned_on", Value::Day(earned)),
                ];
                if rng.chance(70) {
                    let expires = earned
                        .checked_add_days(Days::new(365 * 3))
                        .unwrap_or(earned);
                    fields.push(("expires_on", Value::Day(expires)));
                }
                fields
            })
            .collect();
        writer.inline_list("certifications", &certifications)?;
        let accreditations: Vec<Vec<(&str, Value)>> = (0..rng.below(3))
            .map(|_| {
                let kind = if rng.chance(50) {
                    "technical"
                } else {
                    "business"
                };
                vec![
                    ("kind", Value::Text(kind)),
                    ("earned_on", Value::Day(rng.day(earliest, latest))),
                ]
            })
            .collect();
        writer.inline_list("accreditations", &accreditations)?;
        writer.end_record()?;
    }
    writer.end_list()?;

    writer.begin_list("opportunities")?;
    let customers = (shape.opportunities / 4).max(1) as u64;
    let mut launched = Vec::new();
    for index in 0..shape.opportunities {
        let id = format!("O-{index}");
        let customer = format!("Customer {}", rng.below(customers));
        let stage = STAGES[if rng.chance(70) {
            STAGES.len() - 1
        } else {
            rng.below(STAGES.len() as u64 - 1) as usize
        }];
        let origin = if rng.chance(5) {
            "marketplace"
        } else {
            ORIGINS[rng.below(ORIGINS.len() as u64) as usize]
        };
        let mut fields = vec![
            ("id", Value::Text(&id)),
            ("customer", Value::Text(&customer)),
            ("stage", Value::Text(stage)),
        ];
        let launched_on = rng.day(date(2017, 1, 1), latest);
        if stage == "launched" {
            fields.push(("launched_on", Value::Day(launched_on)));
            launched.push(index);
        }
        fields.push(("mrr_usd", Value::Usd(rng.cents(5_000))));
        fields.push(("origin", Value::Text(origin)));
        writer.record("opportunities", &fields)?;
    }
    writer.end_list()?;

    writer.begin_list("revenue")?;
    for index in 0..shape.revenue_lines {
        let account = format!("{}", 100_000_000_000_u64 + (index as u64 % 1_000));
        let line_domain = if rng.chance(90) {
            domain.clone()
        } else {
            "elsewhere.example".to_owned()
        };
        let fields = [
            ("account_id", Value::Text(&account)),
            ("domain", Value::Text(&line_domain)),
            ("billed_on", Value::Day(rng.day(date(2017, 1, 1), latest))),
            ("amount_usd", Value::Usd(rng.cents(20_000))),
        ];
        writer.begin_record("revenue", &fields)?;
        if rng.chance(20) {
            let credit_type = if rng.chance(50) { "map" } else { "promotional" };
            let credits = [vec![
                ("type", Value::Text(credit_type)),
                ("amount_usd", Value::Usd(rng.cents(1_000))),
            ]];
            writer.inline_list("credits", &credits)?;
        }
        writer.end_record()?;
    }
    writer.end_list()?;

    writer.begin_list("products")?;
    writer.record(
        "products",
        &[("name", Value::Text("Product")), ("ga", Value::Flag(true))],
    )?;
    writer.end_list()?;

    match format {
        Format::Toml => writeln!(writer.out, "\n[business_plan]\nsigned_off_on = 2019-03-01")?,
        Format::Json => write!(
            writer.out,
            ",\n\"business_plan\": {{\"signed_off_on\": \"2019-03-01\"}}"
        )?,
    }

    writer.begin_list("validations")?;
    let validations: [&[(&str, Value)]; 4] = [
        &[
            ("program", Value::Text("msp")),
            ("achieved_on", Value::Day(date(2017, 6, 1))),
        ],
        &[
            ("program", Value::Text("competency")),
            ("name", Value::Text("DevOps")),
            ("achieved_on", Value::Day(date(2018, 2, 1))),
        ],
        &[
            ("program", Value::Text("well-architected")),
            ("achieved_on", Value::Day(date(2018, 9, 1))),
            ("expires_on", Value::Day(date(2021, 9, 1))),
        ],
        &[
            ("program", Value::Text("technical-baseline-review")),
            ("achieved_on", Value::Day(date(2018, 3, 1))),
        ],
    ];
    for fields in validations {
        writer.record("validations", fields)?;
    }
    writer.end_list()?;

    writer.begin_list("executive_business_reviews")?;
    writer.record(
        "executive_business_reviews",
        &[
            ("completed_on", Value::Day(date(2019, 8, 1))),
            ("approved", Value::Flag(true)),
        ],
    )?;
    writer.end_list()?;

    writer.begin_list("references")?;
    for index in 0..shape.references {
        let customer = format!("Customer {index}");
        let submitted = Value::Day(rng.day(date(2017, 1, 1), latest));
        let opportunity;
        let mut fields = vec![
            ("customer", Value::Text(&customer)),
            ("public", Value::Flag(rng.chance(85))),
        ];
        match rng.below(3) {
            0 if !launched.is_empty() => {
                opportunity = format!("O-{}", launched[rng.below(launched.len() as u64) as usize]);
                fields.push(("via", Value::Text("ace")));
                fields.push(("opportunity", Value::Text(&opportunity)));
            }
            1 => {
                fields.push(("via", Value::Text("reference-tool")));
                fields.push(("url", Value::Text("https://example.com/case-study")));
                fields.push(("approved", Value::Flag(rng.chance(90))));
            }
            _ => fields.push(("via", Value::Text("legacy"))),
        }
        fields.push(("submitted_on", submitted));
        writer.record("references", &fields)?;
    }
    writer.end_list()?;

    writer.begin_list("csat_responses")?;
    let customers = (shape.csat_responses / 3).max(1) as u64;
    for index in 0..shape.csat_responses {
        let customer = format!("Customer {}", rng.below(customers));
        let respondent = format!("respondent{index}@customer.example");
        writer.record(
            "csat_responses",
            &[
                ("customer", Value::Text(&customer)),
                ("respondent", Value::Text(&respondent)),
                (
                    "submitted_on",
                    Value::Day(rng.day(date(2017, 1, 1), latest)),
                ),
                ("email_confirmed", Value::Flag(rng.chance(90))),
                ("aws_customer", Value::Flag(rng.chance(95))),
            ],
        )?;
    }
    writer.end_list()?;

    if format == Format::Json {
        writeln!(writer.out, "\n}}")?;
    }
    writer.out.flush()
}
