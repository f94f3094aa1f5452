#!/usr/bin/env python3
"""Writes rules/competencies/ from the research notes' facts.json.

Run once by hand (python3 tools/catalog_from_facts.py ../shared/competency/facts.json);
its output is committed and embedded. Ids, categories, releases and URLs are
taken as the notes record them; labels are the notes' own short paraphrases.
"""
import json
import sys
from pathlib import Path

FACTS = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "../shared/competency/facts.json"))
OUT = Path(__file__).resolve().parent.parent / "rules" / "competencies"
BY_KEY = {c["key"]: c for c in FACTS["checklists_with_ids"]}


def q(text):
    return json.dumps(text, ensure_ascii=False)


def cats(key, pick=None, rename=None, drop=()):
    """[(category, [(id, label)])] of a checklist in facts.json."""
    out = []
    for cat in BY_KEY[key]["categories"]:
        name = cat["category"]
        if pick is not None and name not in pick:
            continue
        if name in drop:
            continue
        name = (rename or {}).get(name, name)
        out.append((name, [(r["id"], r.get("label")) for r in cat["requirements"]]))
    return out


def requirements(categories):
    lines = []
    for category, reqs in categories:
        for rid, label in reqs:
            lines.append("")
            lines.append("[[requirements]]")
            lines.append(f"id = {q(rid)}")
            lines.append(f"category = {q(category)}")
            if label:
                lines.append(f"label = {q(label)}")
    return lines


def count(categories):
    return sum(len(reqs) for _, reqs in categories)


def write(path, header, table, categories):
    lines = [f"# {line}" if line else "#" for line in header]
    lines.append(f"# ids in this file: {count(categories)}")
    lines.append("")
    lines.extend(table)
    lines.extend(requirements(categories))
    (OUT / path).write_text("\n".join(lines) + "\n")


def block(file_id, name, header, categories):
    write(f"blocks/{file_id}.toml", header, ["[block]", f"id = {q(file_id)}", f"name = {q(name)}"], categories)


def checklist(file_id, header, fields, categories):
    table = ["[checklist]", f"id = {q(file_id)}"]
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, bool):
            table.append(f"{key} = {str(value).lower()}")
        elif isinstance(value, int):
            table.append(f"{key} = {value}")
        elif isinstance(value, list):
            table.append(f"{key} = [{', '.join(q(v) for v in value)}]")
        elif key in ("valid_from", "usable_until"):
            table.append(f"{key} = {value}")
        else:
            table.append(f"{key} = {q(value)}")
    write(f"checklists/{file_id}.toml", header, table, categories)


COMMON = ["Documentation", "Secure Customer AWS Account Governance and Access", "Operational Excellence",
          "Security - Networking", "Reliability", "Cost Optimization"]
block("common-customer-reference", "Common Customer Reference Requirements", [
    "The Common Customer Reference Requirements of the 2025 releases, pasted into",
    "every service delivery checklist and the consulting competencies.",
    "Source: the AWS WAF and Amazon ECS service delivery pages of February 2025",
    "(copies of the official pages, grade A); the same ids and categories appear",
    "in the Generative AI consulting sheets (grade B). Complete for those releases.",
    "Labels are short paraphrases of our own.",
], cats("sd-aws-waf", pick=COMMON))

practice = cats("competency-generative-ai-consulting", rename={
    "Common practice: Practice Overview": "Practice Overview",
    "Common practice: Projects/customer examples": "Projects and Customer Examples",
    "Common practice: other (CO)": "Common Practice Requirements",
    "Common practice: Customer Satisfaction": "Customer Satisfaction",
    "Use Case Relevance": "Use Case Relevance",
    "Public/partner solution (PS)": "Partner Solution",
    "Use case (suffix -SERVICE/-SOFTWARE variants seen)": "Use Case",
}, pick={"Common practice: Practice Overview", "Common practice: Projects/customer examples",
         "Common practice: other (CO)", "Common practice: Customer Satisfaction", "Use Case Relevance",
         "Public/partner solution (PS)", "Use case (suffix -SERVICE/-SOFTWARE variants seen)"})
block("consulting-practice", "Consulting Practice Requirements", [
    "The practice block of the consulting (Service Offering) competencies:",
    "practice overview, projects, customer satisfaction, use-case relevance,",
    "partner solution. AWS's sheets call it \"Common Practice Requirements\".",
    "Source: the AWS sample validation tool's control catalogue for the",
    "Generative AI consulting sheets of 2025-26 (grade B); the 2020-22 reviewer",
    "script files POV, PRJ and CSN as one practice template. Category names for",
    "CO, PS and USE-CASE are ours (the tool does not name them).",
    "Labels are short paraphrases of our own.",
], practice)

software = cats("competency-generative-ai-software", pick={
    "Software common: Documentation", "Software common: IAM", "Software common: OS security",
    "Software common: Security operations", "Software common: Support", "Software common: AWS API integration",
    "Software common: Performance", "Software common: Operational Excellence", "Software common: Tenant Isolation",
    "Software common: Reliability", "Public/partner solution (PS)"})
software = [(name.replace("Software common: ", "").replace("Public/partner solution (PS)", "Partner Solution"), reqs)
            for name, reqs in software]
block("software-common", "Software Common Requirements", [
    "The common requirements of the software (Partner Offering) competencies.",
    "Source: the AWS sample validation tool's control catalogue for the",
    "Generative AI software sheets of 2025-26 (grade B). Partial: the tool lists",
    "only DOC-002's customer-deployed variant, and the use-case relevance (UCR)",
    "ids of the software sheets were not captured, so they are not here.",
    "Labels are short paraphrases of our own.",
], software)

ftr_ph = cats("ftr-partner-hosted", drop={"AWS CloudTrail (removed by Nov 2025)", "Removed by Nov 2025 from other categories"})
block("ftr-partner-hosted-controls", "FTR Partner-Hosted Controls", [
    "The controls of the Partner Hosted Foundational Technical Review.",
    "Source: the February 2026 copy of the official page (40 ids, grade A) and",
    "service-screener-v2's FTR mapping of November 2025 (44 ids: the 40 and",
    "HOST-001, SUP-001, WAFR-001, WAFR-002; grade B). The 9 ids removed by then",
    "(ARC-002/003, CTL-001..004, RES-003, S3-002/003) are left out. Category",
    "names are the mapping's. Labels are short paraphrases of our own.",
], ftr_ph)

block("ftr-customer-deployed-controls", "FTR Customer-Deployed Controls", [
    "The controls of the Customer-Deployed Foundational Technical Review.",
    "Source: the AWS reviewer script (Crucible Accelerator), release 2022_q1_v1",
    "(51 ids, grade B). Later releases may have dropped some: partners' published",
    "summaries list a subset.",
], cats("ftr-customer-deployed"))

msp = cats("msp-validation-checklist")
block("msp-prerequisites", "MSP Prerequisites", [
    "The prerequisites of the AWS MSP Partner Program Validation Checklist v7.1",
    "(the \"MSP Prerequisites\" sheet). Source: third-party readiness tools",
    "(randykwon/msp-checklist-system, flexion/flexion-msp-readiness; grade C; the",
    "v7.1 date is their claim). Complete for v7.1 as they record it.",
], [c for c in msp if c[0].startswith("Prerequisites")])
block("msp-technical-validation", "MSP Technical Validation", [
    "The technical validation of the AWS MSP Partner Program Validation",
    "Checklist v7.1. Source: as for msp-prerequisites (grade C).",
], [c for c in msp if c[0].startswith("Technical Validation")])

SD_CASES = 2
checklist("aws-waf", [
    "AWS WAF Service Delivery Validation Checklist, February 2025 release.",
    "Source: a text dump of the official page (coedaniel/spd-waf, grade A).",
    "Complete: 3 own ids and the 11 of the common block (14 in all).",
], [("name", "AWS WAF"), ("program", "service-delivery"), ("path", "consulting"), ("release", "2025-02"),
    ("valid_from", "2025-02-14"), ("usable_until", "2025-11-30"), ("url", BY_KEY["sd-aws-waf"]["checklist_url"]),
    ("blocks", ["common-customer-reference"]), ("requires", []), ("case_studies", SD_CASES)],
    [("AWS WAF Expertise", r) for _, r in cats("sd-aws-waf", pick={"AWS WAF Expertise (service-specific)"})])

checklist("amazon-ecs", [
    "Amazon ECS Service Delivery Validation Checklist, February 2025 release.",
    "Source: a GitHub markdown copy of the official page (grade A).",
    "Complete: 23 own ids and the 11 of the common block (34 in all).",
], [("name", "Amazon ECS"), ("program", "service-delivery"), ("path", "consulting"), ("release", "2025-02"),
    ("valid_from", "2025-02-14"), ("usable_until", "2025-11-30"), ("url", BY_KEY["sd-amazon-ecs"]["checklist_url"]),
    ("blocks", ["common-customer-reference"]), ("requires", []), ("case_studies", SD_CASES)],
    [("Amazon ECS Expertise", r) for _, r in cats("sd-amazon-ecs", pick={"Amazon ECS Expertise (service-specific)"})])

checklist("generative-ai", [
    "AWS Generative AI Competency, Service Offering (consulting) Validation",
    "Checklist, August 2025 release (validity dates from the page's header, grade A).",
    "Ids: the AWS sample validation tool's control catalogue (grade B), not the",
    "page. Complete as the tool records it: 17 own ids, with the practice block",
    "(24) and the common block (11), 52 in all; the tool's USE-CASE item is in",
    "the practice block.",
], [("name", "Generative AI"), ("program", "competency"), ("path", "consulting"), ("release", "2025-08"),
    ("valid_from", "2025-08-29"), ("usable_until", "2026-05-31"),
    ("url", BY_KEY["competency-generative-ai-consulting"]["checklist_url"]),
    ("blocks", ["consulting-practice", "common-customer-reference"]), ("requires", []), ("case_studies", 4)],
    cats("competency-generative-ai-consulting", pick={"Generative AI Consulting Services", "Agentic AI Consulting Services"}))

checklist("generative-ai-software", [
    "AWS Generative AI Competency, Partner Offering (software) Validation Checklist.",
    "Ids: the AWS sample validation tool's control catalogue for 2025-26 (grade B).",
    "The release and dates are inferred from the synchronised release of",
    "2025-08-29 (the tool gives none). 35 own ids and the software common block",
    "(43), 78 in all. Software competencies need an approved FTR; the",
    "partner-hosted one is assumed (a customer-deployed product needs the other).",
], [("name", "Generative AI"), ("program", "competency"), ("path", "software"), ("release", "2025-08"),
    ("valid_from", "2025-08-29"), ("usable_until", "2026-05-31"),
    ("url", BY_KEY["competency-generative-ai-software"]["checklist_url"]),
    ("blocks", ["software-common"]), ("requires", ["ftr-partner-hosted"]), ("case_studies", 4)],
    cats("competency-generative-ai-software", pick={"Generative AI Applications", "Foundation Models and App Development",
                                                    "Infrastructure and Data", "Agentic AI Tools", "Agentic AI Applications"}))

checklist("security", [
    "AWS Security Competency, Service Offering (consulting) Validation Checklist.",
    "Partial and low confidence: 5 own ids seen in a test fixture modelled on a",
    "self-assessment (KianteEvans/PartnerOS, grade C); its UCR-001 is the practice",
    "block's. The release is not known.",
], [("name", "Security"), ("program", "competency"), ("path", "consulting"), ("release", "unknown"),
    ("url", BY_KEY["competency-security-consulting"]["checklist_url"]),
    ("blocks", ["consulting-practice", "common-customer-reference"]), ("requires", []), ("case_studies", 4)],
    cats("competency-security-consulting", drop={"Use Case Relevance"}))

checklist("security-software", [
    "AWS Security Competency, Partner Offering (software) Validation Checklist.",
    "Ids: the 2020-22 set from the AWS reviewer script (grade B); the 2025 list",
    "was not seen, so the release is that of the ids. 57 own ids.",
], [("name", "Security"), ("program", "competency"), ("path", "software"), ("release", "2020-22"),
    ("url", BY_KEY["competency-security-software"]["checklist_url"]),
    ("blocks", ["software-common"]), ("requires", ["ftr-partner-hosted"]), ("case_studies", 4)],
    cats("competency-security-software"))

net = cats("competency-networking-software")
net = [(name, reqs + ([("NETCON-008", None), ("NETCON-009", None)] if name.startswith("Network Connectivity") else []))
       for name, reqs in net]
checklist("networking-software", [
    "AWS Networking Competency, Partner Offering (software) Validation Checklist.",
    "Ids: the release of 2022-03-05 from the AWS reviewer script (grade B), with",
    "NETCON-008 and NETCON-009, which only the seed article names. 29 own ids.",
], [("name", "Networking"), ("program", "competency"), ("path", "software"), ("release", "2022-03"),
    ("valid_from", "2022-03-05"), ("url", BY_KEY["competency-networking-software"]["checklist_url"]),
    ("blocks", ["software-common"]), ("requires", ["ftr-partner-hosted"]), ("case_studies", 4)], net)

checklist("msp", [
    "AWS Managed Service Provider (MSP) Partner Program Validation Checklist v7.1.",
    "All of its ids are in its two blocks (15 prerequisites, 46 technical).",
    "Source: third-party readiness tools (grade C). MSP asks for 4 case studies.",
], [("name", "Managed Service Provider"), ("program", "msp"), ("path", "consulting"), ("release", "v7.1"),
    ("blocks", ["msp-prerequisites", "msp-technical-validation"]), ("requires", []), ("case_studies", 4)], [])

checklist("ftr-partner-hosted", [
    "Partner Hosted Foundational Technical Review, February 2026 release",
    "(validity from the official page's header, grade A; the page says FTR is",
    "paused). All of its ids are in its block.",
], [("name", "Partner Hosted Foundational Technical Review"), ("program", "ftr"), ("path", "software"),
    ("release", "2026-02"), ("valid_from", "2026-02-26"), ("usable_until", "2026-11-30"),
    ("url", BY_KEY["ftr-partner-hosted"]["checklist_url"]),
    ("blocks", ["ftr-partner-hosted-controls"]), ("requires", [])], [])

checklist("ftr-customer-deployed", [
    "Customer-Deployed Foundational Technical Review, release 2022_q1_v1",
    "(the AWS reviewer script, grade B). All of its ids are in its block.",
], [("name", "Customer-Deployed Foundational Technical Review"), ("program", "ftr"), ("path", "software"),
    ("release", "2022-q1"), ("url", BY_KEY["ftr-customer-deployed"]["checklist_url"]),
    ("blocks", ["ftr-customer-deployed-controls"]), ("requires", [])], [])
