#!/usr/bin/env python3
"""A stopgap generator of one large partner file (JSON), to reproduce the
scale baseline in the README. Issue 5 asks for a deterministic Rust generator
and benchmarks; this is not that, only a way to measure where we stand.

Usage: bench/gen_large.py SCALE OUT  (SCALE 1.0 = 1,000,000 opportunities,
100,000 people, 200,000 CSAT responses, 100,000 revenue lines, 50,000 references)
"""
import json, random, sys
random.seed(7)
scale = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
out = sys.argv[2] if len(sys.argv) > 2 else f"large-{scale}.json"
n_opp, n_people, n_csat, n_rev, n_ref = int(1_000_000*scale), int(100_000*scale), int(200_000*scale), int(100_000*scale), int(50_000*scale)
certs = ["cloud-practitioner","developer-associate","solutions-architect-associate","solutions-architect-professional","security-specialty"]
def d(lo=2017, hi=2020):
    return f"{random.randint(lo,hi)}-{random.randint(1,12):02d}-{random.randint(1,28):02d}"
doc = {"partner": {"name": "Large Partner", "track": "consulting", "tier": "advanced", "renewal_date": "2019-12-15", "domains": ["large.example"]},
 "fee_payments": [{"paid_on": "2019-01-10", "amount_usd": 2500.0}],
 "people": [{"email": f"p{i}@large.example", "certifications": [{"cert": random.choice(certs), "earned_on": d(2016,2019), "expires_on": d(2019,2022)} for _ in range(2)], "accreditations": [{"kind": random.choice(["technical","business"]), "earned_on": d(2016,2019)}]} for i in range(n_people)],
 "opportunities": [{"id": f"O-{i}", "customer": f"C{i%5000}", "stage": "launched", "launched_on": d(2018,2019), "mrr_usd": round(random.random()*2000,2), "origin": random.choice(["partner","aws-referred","tagged","marketplace"])} for i in range(n_opp)],
 "revenue": [{"account_id": str(100000000000+i%1000), "domain": "large.example", "billed_on": d(2018,2019), "amount_usd": round(random.random()*5000,2), "kind": "usage"} for i in range(n_rev)],
 "business_plan": {"signed_off_on": "2019-03-01"},
 "validations": [{"program": "msp", "achieved_on": "2018-01-01"}, {"program": "competency", "name": "DevOps", "achieved_on": "2018-01-01"}, {"program": "well-architected", "achieved_on": "2018-01-01"}],
 "references": [{"customer": f"C{i}", "public": True, "via": "legacy", "submitted_on": d(2018,2019)} for i in range(n_ref)],
 "csat_responses": [{"customer": f"C{i%5000}", "submitted_on": d(2018,2019), "email_confirmed": True, "aws_customer": True} for i in range(n_csat)],
}
json.dump(doc, open(out, "w"))
