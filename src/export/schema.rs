//! The database's tables, each written once: the writer creates them and
//! inserts through them, `docs/sqlite.md` documents them (a test checks
//! every table and column is there).

use std::sync::LazyLock;

/// The version of the schema, kept in `meta`; raised on any change a query
/// could notice.
pub const SCHEMA_VERSION: u32 = 1;

/// Whose rows a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The export's own facts and the catalog: written once.
    Export,
    /// One partner's: the first column, `partner`, is filled by the writer
    /// with the partner's number.
    Partner,
}

/// A table: its name, columns (name, SQL declaration) and constraints.
#[derive(Debug)]
pub struct Table {
    /// Its name.
    pub name: &'static str,
    /// Whose rows.
    pub owner: Owner,
    /// Columns, in order: name and declaration.
    pub columns: &'static [(&'static str, &'static str)],
    /// Table constraints (primary key), or empty.
    pub constraints: &'static str,
}

impl Table {
    /// `CREATE TABLE …`.
    pub fn create(&self) -> String {
        let mut parts: Vec<String> = self
            .columns
            .iter()
            .map(|(name, declaration)| format!("  {name} {declaration}"))
            .collect();
        if !self.constraints.is_empty() {
            parts.push(format!("  {}", self.constraints));
        }
        format!("CREATE TABLE {} (\n{}\n);", self.name, parts.join(",\n"))
    }

    /// `CREATE INDEX …` on a partner's table's `partner` column, made once
    /// the rows are in (faster than keeping it while inserting).
    pub fn index(&self) -> Option<String> {
        (self.owner == Owner::Partner && self.name != "partners").then(|| {
            format!(
                "CREATE INDEX {name}_by_partner ON {name} (partner);",
                name = self.name
            )
        })
    }

    /// `INSERT INTO … VALUES (?, …)`.
    pub fn insert(&self) -> String {
        let marks = vec!["?"; self.columns.len()].join(", ");
        format!("INSERT INTO {} VALUES ({marks})", self.name)
    }
}

const PARTNER: (&str, &str) = ("partner", "INTEGER NOT NULL REFERENCES partners(partner)");

/// Every table, in the order written.
pub const TABLES: &[Table] = &[
    Table {
        name: "meta",
        owner: Owner::Export,
        columns: &[("key", "TEXT PRIMARY KEY"), ("value", "TEXT NOT NULL")],
        constraints: "",
    },
    Table {
        name: "designations",
        owner: Owner::Export,
        columns: &[
            ("id", "TEXT PRIMARY KEY"),
            ("name", "TEXT NOT NULL"),
            ("program", "TEXT NOT NULL"),
            ("path", "TEXT NOT NULL"),
            ("release", "TEXT NOT NULL"),
            ("valid_from", "TEXT"),
            ("usable_until", "TEXT"),
            ("url", "TEXT"),
            ("case_studies", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "blocks",
        owner: Owner::Export,
        columns: &[("id", "TEXT PRIMARY KEY"), ("name", "TEXT NOT NULL")],
        constraints: "",
    },
    Table {
        name: "requirements",
        owner: Owner::Export,
        columns: &[
            ("scope", "TEXT NOT NULL"),
            ("id", "TEXT NOT NULL"),
            ("prefix", "TEXT NOT NULL"),
            ("number", "INTEGER"),
            ("suffix", "TEXT"),
            ("category", "TEXT NOT NULL"),
            ("label", "TEXT"),
        ],
        constraints: "PRIMARY KEY (scope, id)",
    },
    Table {
        name: "designation_blocks",
        owner: Owner::Export,
        columns: &[
            ("designation", "TEXT NOT NULL REFERENCES designations(id)"),
            ("block", "TEXT NOT NULL REFERENCES blocks(id)"),
            ("position", "INTEGER NOT NULL"),
        ],
        constraints: "PRIMARY KEY (designation, block)",
    },
    Table {
        name: "designation_requirements",
        owner: Owner::Export,
        columns: &[
            ("designation", "TEXT NOT NULL REFERENCES designations(id)"),
            ("scope", "TEXT NOT NULL"),
            ("requirement", "TEXT NOT NULL"),
        ],
        constraints: "PRIMARY KEY (designation, scope, requirement)",
    },
    Table {
        name: "designation_prerequisites",
        owner: Owner::Export,
        columns: &[
            ("designation", "TEXT NOT NULL REFERENCES designations(id)"),
            ("requires", "TEXT NOT NULL REFERENCES designations(id)"),
        ],
        constraints: "PRIMARY KEY (designation, requires)",
    },
    Table {
        name: "input_errors",
        owner: Owner::Export,
        columns: &[
            ("file", "TEXT NOT NULL"),
            ("message", "TEXT NOT NULL"),
            ("line", "INTEGER"),
        ],
        constraints: "",
    },
    Table {
        name: "partners",
        owner: Owner::Partner,
        columns: &[
            ("partner", "INTEGER PRIMARY KEY"),
            ("file", "TEXT NOT NULL"),
            ("name", "TEXT NOT NULL"),
            ("track", "TEXT NOT NULL"),
            ("tier", "TEXT NOT NULL"),
            ("renewal_date", "TEXT NOT NULL"),
            ("as_of", "TEXT NOT NULL"),
            ("window_start", "TEXT NOT NULL"),
            ("review_date", "TEXT NOT NULL"),
            ("eligible_tier", "TEXT NOT NULL"),
            ("compliant", "INTEGER NOT NULL"),
            ("gate_tier", "TEXT NOT NULL"),
            ("gate_passed", "INTEGER NOT NULL"),
            ("premier_path", "TEXT"),
        ],
        constraints: "",
    },
    Table {
        name: "scorecard",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("tier", "TEXT NOT NULL"),
            ("requirement", "TEXT NOT NULL"),
            ("title", "TEXT NOT NULL"),
            ("status", "TEXT NOT NULL"),
            ("time_bound", "INTEGER NOT NULL"),
            ("alternative", "TEXT"),
            ("grace_until", "TEXT"),
            ("tier_met", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "scorecard_measures",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("tier", "TEXT NOT NULL"),
            ("requirement", "TEXT NOT NULL"),
            ("measure", "TEXT NOT NULL"),
            ("unit", "TEXT NOT NULL"),
            ("value", "INTEGER NOT NULL"),
            ("required", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "gaps",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("tier", "TEXT NOT NULL"),
            ("toward", "TEXT NOT NULL"),
            ("requirement", "TEXT NOT NULL"),
            ("alternative", "TEXT"),
            ("measure", "TEXT NOT NULL"),
            ("unit", "TEXT NOT NULL"),
            ("value", "INTEGER NOT NULL"),
            ("required", "INTEGER NOT NULL"),
            ("shortfall", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "warnings",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("code", "TEXT NOT NULL"),
            ("message", "TEXT NOT NULL"),
            ("line", "INTEGER"),
        ],
        constraints: "",
    },
    Table {
        name: "held_designations",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("designation", "TEXT NOT NULL REFERENCES designations(id)"),
        ],
        constraints: "",
    },
    Table {
        name: "premier_choice",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("designation", "TEXT NOT NULL REFERENCES designations(id)"),
            ("step", "INTEGER NOT NULL"),
            ("own_outstanding", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "people",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("email", "TEXT NOT NULL"),
            ("name", "TEXT"),
            ("tc_email", "TEXT"),
            ("registered", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "credentials",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("email", "TEXT NOT NULL"),
            ("kind", "TEXT NOT NULL"),
            ("credential", "TEXT NOT NULL"),
            ("level", "TEXT"),
            ("earned_on", "TEXT NOT NULL"),
            ("expires_on", "TEXT"),
            ("account_email", "TEXT"),
        ],
        constraints: "",
    },
    Table {
        name: "fee_payments",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("paid_on", "TEXT NOT NULL"),
            ("amount_cents", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "opportunities",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("id", "TEXT NOT NULL"),
            ("customer", "TEXT"),
            ("stage", "TEXT NOT NULL"),
            ("launched_on", "TEXT"),
            ("launched_on_source", "TEXT"),
            ("mrr_cents", "INTEGER NOT NULL"),
            ("origin", "TEXT NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "public_references",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("customer", "TEXT NOT NULL"),
            ("public", "INTEGER NOT NULL"),
            ("via", "TEXT NOT NULL"),
            ("opportunity", "TEXT"),
            ("url", "TEXT"),
            ("approved", "INTEGER NOT NULL"),
            ("submitted_on", "TEXT NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "csat_responses",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("customer", "TEXT NOT NULL"),
            ("respondent", "TEXT"),
            ("submitted_on", "TEXT NOT NULL"),
            ("email_confirmed", "INTEGER NOT NULL"),
            ("aws_customer", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "revenue_lines",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("account_id", "TEXT NOT NULL"),
            ("domain", "TEXT NOT NULL"),
            ("billed_on", "TEXT NOT NULL"),
            ("amount_cents", "INTEGER NOT NULL"),
            ("kind", "TEXT NOT NULL"),
            ("credits_cents", "INTEGER NOT NULL"),
        ],
        constraints: "",
    },
    Table {
        name: "validations",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("program", "TEXT NOT NULL"),
            ("name", "TEXT"),
            ("achieved_on", "TEXT NOT NULL"),
            ("expires_on", "TEXT"),
        ],
        constraints: "",
    },
    Table {
        name: "requirement_evidence",
        owner: Owner::Partner,
        columns: &[
            PARTNER,
            ("scope", "TEXT NOT NULL"),
            ("requirement", "TEXT NOT NULL"),
            ("met_on", "TEXT NOT NULL"),
            ("evidence", "TEXT"),
        ],
        constraints: "",
    },
];

/// Each table, by name; its value is its place in [`TABLES`] (checked by
/// a test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Name {
    Meta,
    Designations,
    Blocks,
    Requirements,
    DesignationBlocks,
    DesignationRequirements,
    DesignationPrerequisites,
    InputErrors,
    Partners,
    Scorecard,
    ScorecardMeasures,
    Gaps,
    Warnings,
    HeldDesignations,
    PremierChoice,
    People,
    Credentials,
    FeePayments,
    Opportunities,
    PublicReferences,
    CsatResponses,
    RevenueLines,
    Validations,
    RequirementEvidence,
}

impl Name {
    /// Its table.
    pub fn table(self) -> &'static Table {
        &TABLES[self as usize]
    }

    /// Its columns as rows are checked against them, and whether the
    /// first is the rowid: read from the declarations once.
    pub fn checks(self) -> &'static Checks {
        static CHECKS: LazyLock<Vec<Checks>> = LazyLock::new(|| {
            TABLES
                .iter()
                .map(|table| Checks {
                    columns: table.checked_columns(),
                    rowid_alias: table.rowid_alias(),
                })
                .collect()
        });
        &CHECKS[self as usize]
    }
}

/// A table's declarations as rows are checked and written.
#[derive(Debug)]
pub struct Checks {
    /// Its columns.
    pub columns: Vec<Column>,
    /// The first column is `INTEGER PRIMARY KEY`: its value is the rowid.
    pub rowid_alias: bool,
}

/// What a column takes, read from its declaration: a row is checked
/// against it when made, as SQLite checks a row it inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: &'static str,
    /// An integer (declared `INTEGER`), or else text.
    pub integer: bool,
    /// Declared `NOT NULL` or a primary key: never NULL.
    pub not_null: bool,
}

impl Table {
    fn checked_columns(&self) -> Vec<Column> {
        self.columns
            .iter()
            .map(|(name, declaration)| Column {
                name,
                integer: declaration.starts_with("INTEGER"),
                not_null: declaration.contains("NOT NULL") || declaration.contains("PRIMARY KEY"),
            })
            .collect()
    }

    /// The first column is `INTEGER PRIMARY KEY`: its value is the rowid.
    pub fn rowid_alias(&self) -> bool {
        self.columns
            .first()
            .is_some_and(|(_, declaration)| declaration.starts_with("INTEGER PRIMARY KEY"))
    }

    /// Whether rows can be written straight into the table's b-tree: it
    /// has no key but a rowid alias (a key's index SQLite keeps).
    pub fn bulk(&self) -> bool {
        self.constraints.is_empty()
            && self
                .columns
                .iter()
                .enumerate()
                .all(|(position, (_, declaration))| {
                    !declaration.contains("UNIQUE")
                        && (!declaration.contains("PRIMARY KEY")
                            || (position == 0 && self.rowid_alias()))
                })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partners_table_begins_with_its_partner() {
        for table in TABLES.iter().filter(|table| table.owner == Owner::Partner) {
            assert_eq!(table.columns[0].0, "partner", "{}", table.name);
        }
    }

    #[test]
    fn columns_are_read_from_their_declarations() {
        let columns = &Name::Partners.checks().columns;
        assert_eq!(
            columns[0],
            Column {
                name: "partner",
                integer: true,
                not_null: true
            }
        );
        assert!(!columns[1].integer && columns[1].not_null);
        assert!(Name::Partners.checks().rowid_alias);
        assert!(!Name::People.checks().rowid_alias);
        let premier_path = columns.last().copied();
        assert_eq!(premier_path.map(|column| column.not_null), Some(false));
    }

    #[test]
    fn names_are_the_tables_in_order() {
        let names = [
            Name::Meta,
            Name::Designations,
            Name::Blocks,
            Name::Requirements,
            Name::DesignationBlocks,
            Name::DesignationRequirements,
            Name::DesignationPrerequisites,
            Name::InputErrors,
            Name::Partners,
            Name::Scorecard,
            Name::ScorecardMeasures,
            Name::Gaps,
            Name::Warnings,
            Name::HeldDesignations,
            Name::PremierChoice,
            Name::People,
            Name::Credentials,
            Name::FeePayments,
            Name::Opportunities,
            Name::PublicReferences,
            Name::CsatResponses,
            Name::RevenueLines,
            Name::Validations,
            Name::RequirementEvidence,
        ];
        assert_eq!(names.len(), TABLES.len());
        for name in names {
            let expected: String = format!("{name:?}")
                .chars()
                .enumerate()
                .flat_map(|(index, c)| {
                    let lower = c.to_ascii_lowercase();
                    if c.is_ascii_uppercase() && index > 0 {
                        vec!['_', lower]
                    } else {
                        vec![lower]
                    }
                })
                .collect();
            assert_eq!(name.table().name, expected);
            let per_partner = name.table().columns[0].0 == "partner";
            assert_eq!(
                per_partner,
                name.table().owner == Owner::Partner,
                "{expected}"
            );
        }
    }
}
