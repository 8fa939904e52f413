/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests of `/metrics`: every
 * line is a HELP, a TYPE, a sample `name{labels} value` or empty; each family has one HELP and one TYPE
 * before its samples; histogram buckets are cumulative and end at +Inf = _count.
 */

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A family: its TYPE, HELP and samples (for histograms, the _bucket, _sum and _count lines). */
export interface Family {
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"';
const VALUE = '[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf)|NaN';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (${VALUE})$`);
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of (text ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
    labels[match[1]!] = match[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
  return labels;
}

/** The family a sample belongs to: its own name, or a histogram's/summary's base name. */
function familyOf(name: string, families: Map<string, Family>): string | undefined {
  if (families.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  if (family === undefined) return undefined;
  if (family.type === 'histogram' || (family.type === 'summary' && !name.endsWith('_bucket'))) return base;
  return undefined;
}

/**
 * Parses `/metrics` text; `problems` lists every line or family that breaks the format.
 *
 * @example
 * readExposition('# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 2\n').families.get('a_total');
 * // { type: 'counter', help: 'A.', samples: [{ name: 'a_total', labels: { x: '1' }, value: 2 }] }
 */
export function readExposition(text: string): { families: Map<string, Family>; problems: string[] } {
  const families = new Map<string, Family>();
  const problems: string[] = [];
  const help = new Map<string, string>();
  if (!text.endsWith('\n')) problems.push('the text does not end with a newline');
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, i) => {
      // The format ignores empty lines; prom-client puts one between families.
      if (line === '') return;
      const comment = COMMENT.exec(line);
      if (comment !== null) {
        const [, kind, name, rest] = comment as unknown as [string, string, string, string];
        if (kind === 'HELP') {
          if (help.has(name)) problems.push(`line ${i + 1}: second HELP for ${name}`);
          help.set(name, rest);
        } else if (!TYPES.has(rest)) problems.push(`line ${i + 1}: unknown TYPE '${rest}'`);
        else if (families.has(name)) problems.push(`line ${i + 1}: second TYPE for ${name}`);
        else if (!help.has(name)) problems.push(`line ${i + 1}: TYPE of ${name} before its HELP`);
        else families.set(name, { type: rest, help: help.get(name)!, samples: [] });
        return;
      }
      const sample = SAMPLE.exec(line);
      if (sample === null) {
        problems.push(`line ${i + 1}: not 'name{labels} value': ${JSON.stringify(line)}`);
        return;
      }
      const family = familyOf(sample[1]!, families);
      if (family === undefined) problems.push(`line ${i + 1}: sample ${sample[1]} without HELP and TYPE before it`);
      else
        families.get(family)!.samples.push({
          name: sample[1]!,
          labels: labelsOf(sample[2]),
          value: Number(sample[3]!.replace('Inf', 'Infinity')),
        });
    });
  for (const [name, family] of families) {
    if (family.type !== 'histogram') continue;
    const buckets = family.samples.filter((s) => s.name === `${name}_bucket`);
    const infinite = buckets.filter((s) => s.labels.le === '+Inf');
    const counts = family.samples.filter((s) => s.name === `${name}_count`);
    if (infinite.length !== counts.length)
      problems.push(`${name}: ${counts.length} _count lines but ${infinite.length} +Inf buckets`);
  }
  return { families, problems };
}
