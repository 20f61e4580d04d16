/** Example specs for tests and the demo (`strata demo` writes this one out as card-customers.yaml). */

/** The "card-customers" spec: causal parents, a rule, a coverage plan with a forbidden cell, a tail, a scenario. */
export const CARD_CUSTOMERS_YAML = `strata: 1                      # format version
name: card-customers
seed: 42
tables:
  customer:
    rows: 10000
    columns:
      segment:  { type: category, values: { retail: 0.7, premium: 0.25, business: 0.05 } }
      age:      { type: integer, dist: { normal: { mean: 41, sd: 13 } }, min: 18, max: 95 }
      income:                                   # a causal child: parameters are expressions of parents
        type: number
        given: [segment, age]
        dist: { lognormal: { meanlog: "10 + 0.4*(segment == 'premium') + 0.01*age", sdlog: 0.5 } }
        min: 0
      card_limit:
        type: number
        given: [income]
        dist: { normal: { mean: "income * 0.2", sd: 500 } }
      email:    { type: string, faker: internet.email }
      opened:   { type: datetime, dist: { uniform: { min: "2015-01-01", max: "2025-12-31" } } }
    rules:                                       # must hold on every row
      - { name: limit_below_income, check: "card_limit <= income" }
coverage:                                        # what must be present, decided before generating
  customer:
    axes: [segment, { name: age_band, expr: "age < 25 ? 'young' : age < 65 ? 'adult' : 'senior'" }]
    min_per_cell: 200
    forbid: ["segment == 'business' and age_band == 'young'"]
tails:                                           # rare regions generated on purpose, with weights
  - { name: very_high_income, table: customer, when: "income > quantile(income, 0.999)", share: 0.01 }
`;
