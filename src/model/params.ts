/**
 * Compiling spec parameters (numbers or expressions over parents) into row functions.
 */
import { type CompiledExpr, compileExpression, type Value as ExprValue } from '../expr/index.js';
import type { Param } from '../spec/schema.js';
import type { ModelContext } from './context.js';
import { parseIsoDate, type Value } from './values.js';

export type NumFn = (row: readonly Value[]) => number;

export interface CompiledParam {
  fn: NumFn;
  refs: string[];
  /** Set when the parameter does not depend on the row. */
  constant?: number;
}

/** A value from an expression as a number: booleans 0/1, numeric strings parsed, anything else NaN. */
export function toNumber(v: ExprValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const d = parseIsoDate(v);
    if (d !== undefined) return d;
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : Number.NaN;
  }
  return Number.NaN;
}

export function compileExpr(
  ctx: ModelContext,
  source: string,
  path: readonly (string | number)[],
): CompiledExpr {
  try {
    return compileExpression(source, { columns: ctx.columnIndex, quantile: ctx.quantile });
  } catch (e) {
    throw ctx.wrapExprError(e, path, source);
  }
}

/**
 * Compile a Param. Datetime-valued params accept ISO strings (`"2015-01-01"`), which become epoch ms.
 */
export function compileParam(ctx: ModelContext, p: Param, path: readonly (string | number)[]): CompiledParam {
  if (typeof p === 'number') return { fn: () => p, refs: [], constant: p };
  const date = parseIsoDate(p);
  if (date !== undefined) return { fn: () => date, refs: [], constant: date };
  const expr = compileExpr(ctx, p, path);
  if (expr.refs.length === 0) {
    const v = toNumber(expr.evaluate([]));
    return { fn: () => v, refs: [], constant: v };
  }
  const index =
    expr.refs.length === 1 && p.trim() === expr.refs[0] ? ctx.columnIndex.get(p.trim()) : undefined;
  if (index !== undefined) {
    // A bare column name (a tied column's shift: "BILL_AMT2"): read it without the expression
    // closure, the same value as evaluating it (a missing cell reads as null).
    return {
      fn: (row) => {
        const v = row[index] as ExprValue | undefined;
        return typeof v === 'number' ? v : toNumber(v === undefined ? null : v);
      },
      refs: [...expr.refs],
    };
  }
  const evaluate = expr.evaluate.bind(expr);
  return { fn: (row) => toNumber(evaluate(row as ExprValue[])), refs: [...expr.refs] };
}
