"""The reference E2SFCA: PySAL's `access` package on the cost matrix lantu used.

Reads, from the folder given: demand.csv (id, people), supply.csv (id, places), cost.csv
(origin, dest, minutes: every home-facility pair within the longest step) and steps.csv
(minutes, weight); writes access.csv (id, places per person), 17 significant digits.

Install (the README's first command does it): python3 -m venv .venv-access &&
.venv-access/bin/pip install -r tests/access/requirements.txt
"""
import sys

import pandas as pd
from access import Access, weights

folder = sys.argv[1]
demand = pd.read_csv(f"{folder}/demand.csv")
supply = pd.read_csv(f"{folder}/supply.csv")
cost = pd.read_csv(f"{folder}/cost.csv")
steps = pd.read_csv(f"{folder}/steps.csv")
weight = weights.step_fn(dict(zip(steps["minutes"], steps["weight"])))
a = Access(
    demand_df=demand,
    demand_index="id",
    demand_value="people",
    supply_df=supply,
    supply_index="id",
    supply_value="places",
    cost_df=cost,
    cost_origin="origin",
    cost_dest="dest",
    cost_name="minutes",
)
result = a.enhanced_two_stage_fca(name="e2sfca", weight_fn=weight, max_cost=float(steps["minutes"].max()))
out = result.reindex(demand["id"]).fillna(0.0)
with open(f"{folder}/access.csv", "w") as f:
    f.write("id,access\n")
    for i, v in zip(demand["id"], out.iloc[:, 0]):
        f.write(f"{i},{v:.17g}\n")
