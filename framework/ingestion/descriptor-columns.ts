/** Resolution of every column a descriptor references, against one file's header. */
import type { ColumnIndex } from "./column-index.js";
import type { ColumnRef, TraceDescriptor } from "./descriptor.js";

/** A named column at a 0-based field index. */
export interface NamedColumn {
  name: string;
  index: number;
}

/** The 0-based field indices of every column a descriptor references. */
export interface DescriptorColumns {
  /** Timestamp column, or date then time columns, or the elapsed-time column; empty if sampled. */
  time: number[];
  device: number | undefined;
  /** Value columns of a wide layout, by metric name; empty for a long layout. */
  values: NamedColumn[];
  /** Parameter and value columns of a long layout. */
  long: { parameter: number; value: number } | undefined;
  labels: NamedColumn[];
  /** Fields a row needs to reach its last referenced column. */
  requiredWidth: number;
}

/**
 * Resolves all references in one pass, so that one message lists every missing column.
 *
 * @throws UserInputError naming the trace, the descriptor, each missing column and the header
 */
export function resolveDescriptorColumns(
  descriptor: TraceDescriptor,
  index: ColumnIndex,
  tracePath: string,
): DescriptorColumns {
  const { time, device, layout, labels } = descriptor;
  let timeRefs: ColumnRef[] = [];
  if (time.kind === "dateAndTime") timeRefs = [time.dateColumn, time.timeColumn];
  else if (time.kind !== "sampled") timeRefs = [time.column];
  const deviceRefs = device.kind === "column" ? [device.column] : [];
  const layoutRefs =
    layout.kind === "wide"
      ? layout.values.map((value) => value.column)
      : [layout.parameterColumn, layout.valueColumn];
  const labelRefs = labels.map((label) => label.column);

  const refs = [...timeRefs, ...deviceRefs, ...layoutRefs, ...labelRefs];
  const resolved = index.resolveAll(refs, tracePath, descriptor.source);
  let next = 0;
  const take = (count: number): number[] => resolved.slice(next, (next += count));

  const timeIndices = take(timeRefs.length);
  const deviceIndex = take(deviceRefs.length)[0];
  const layoutIndices = take(layoutRefs.length);
  const labelIndices = take(labelRefs.length);
  return {
    time: timeIndices,
    device: deviceIndex,
    values:
      layout.kind === "wide"
        ? layout.values.map((value, i) => ({ name: value.metric, index: layoutIndices[i] }))
        : [],
    long:
      layout.kind === "long" ? { parameter: layoutIndices[0], value: layoutIndices[1] } : undefined,
    labels: labels.map((label, i) => ({ name: label.name, index: labelIndices[i] })),
    requiredWidth: Math.max(0, ...resolved.map((i) => i + 1)),
  };
}
