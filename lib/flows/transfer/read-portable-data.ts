import { isCollection, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Problem } from '../model/problem';
import { checkPlainData, MAX_DEPTH } from './check-plain-data';
import { scanYaml } from './estimate-yaml-depth';
import { MAX_PORTABLE_FLOW_BYTES } from './portable-flow-limits';
import type { PortableFlowError } from './portable-flow-schema';

/** How far the parsed data may grow past the file (aliases repeat what they name): twice the file limit. */
const MAX_EXPANDED_SIZE = 2 * MAX_PORTABLE_FLOW_BYTES;

/** Refused before parsing (the parser would spend seconds on a megabyte of brackets); the exact limit, MAX_DEPTH, is checked on the data. */
const MAX_ESTIMATED_DEPTH = 200;

/**
 * Line breaks and commas, refused above this before parsing: the YAML parser builds about a node
 * per entry at some microseconds each. A flow at the model's ceilings (2,000 steps, 8,000
 * connections) is about 50,000.
 */
export const MAX_ENTRIES = 120_000;

/** Aliases are plain YAML, but each one repeats data; a handful is all a hand-written file needs. */
const MAX_ALIAS_COUNT = 20;

export type PortableDataResult = { ok: true; data: unknown } | { ok: false; error: PortableFlowError };

/**
 * The first stage of reading a portable file: text to plain JSON data, or the reason it is not.
 * The size, the text's nesting and entry count (before parsing), the YAML (one document, unique
 * keys, no tags, keys that are text, a few aliases at most), then the data (no prototype keys, not
 * deeper than 64, finite numbers). Imports only yaml and this folder's small modules, so it can
 * run in a process of its own (lib/flows/service/read-portable-text.ts). Never throws.
 */
export function readPortableData(text: string): PortableDataResult {
  try {
    return read(text);
  } catch (err) {
    return { ok: false, error: unexpected(err) };
  }
}

/** The checks made on the text before it is parsed (size, nesting, entries): linear and quick; null when they pass. */
export function precheckPortableText(text: string): PortableDataResult | null {
  if (utf8Length(text) > MAX_PORTABLE_FLOW_BYTES) {
    return fail('too_large', `The file is larger than the limit of ${MAX_PORTABLE_FLOW_BYTES / 1024 / 1024} MiB.`);
  }
  if (!text.trim()) return fail('not_yaml', 'The file is empty.');
  const scan = scanYaml(text);
  if (scan.depth > MAX_ESTIMATED_DEPTH) {
    return fail('too_deep', `The file is nested deeper than a flow file may be (at most ${MAX_DEPTH} levels).`);
  }
  if (scan.entries > MAX_ENTRIES) {
    return fail('too_large', `The file has more entries than a flow file may hold (more than ${MAX_ENTRIES.toLocaleString('en')} lines).`);
  }
  return null;
}

function read(text: string): PortableDataResult {
  const refused = precheckPortableText(text);
  if (refused) return refused;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    merge: false,
    // Duplicate keys are found by checkYamlShape in one pass: yaml's own check compares each key with every earlier one (60,000 keys: a minute).
    uniqueKeys: false,
    prettyErrors: true,
    strict: true,
    customTags: [],
    lineCounter,
  });
  const yamlError = doc.errors[0];
  if (yamlError) return fail('not_yaml', `This is not a valid YAML or JSON file: ${firstLine(yamlError.message)}.`);
  const shapeError = checkYamlShape(doc, lineCounter);
  if (shapeError) return { ok: false, error: shapeError };

  const raw: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  const dataProblem = checkPlainData(raw, MAX_EXPANDED_SIZE);
  if (dataProblem) {
    switch (dataProblem.kind) {
      case 'too_large':
        return fail('too_large', 'The file expands to more data than the size limit allows (through YAML aliases).');
      case 'too_deep':
        return fail('too_deep', `The file is nested deeper than ${MAX_DEPTH} levels (at ${dataProblem.path}).`);
      case 'prototype_key':
        return fail(
          'invalid_document',
          `The key "${dataProblem.key}" is not allowed (at ${dataProblem.path}): it could change how objects behave.`,
          [{ field: dataProblem.path, code: 'prototype_key', message: `"${dataProblem.key}" is not allowed as a key` }],
        );
      case 'not_json':
        return fail(
          'invalid_document',
          `The file holds ${dataProblem.what} at ${dataProblem.path || 'the top'}; a flow holds plain data.`,
          [{ ...(dataProblem.path ? { field: dataProblem.path } : {}), code: 'not_json', message: `${dataProblem.what} is not allowed` }],
        );
    }
  }

  return { ok: true, data: raw };
}

/** One YAML document of plain maps, sequences and scalars: no explicit tags (`!!js/function`, `!custom`, `!!binary`), no keys that are collections, no key twice in a map. */
function checkYamlShape(doc: Document.Parsed, lines: LineCounter): PortableFlowError | null {
  let error: PortableFlowError | null = null;
  const refuseTag = (tag: string) => {
    error = {
      code: 'not_yaml',
      message: `YAML tags are not allowed in a flow file (found ${tag.replace(/^tag:yaml\.org,2002:/, '!!')}); write plain values.`,
    };
    return visit.BREAK;
  };
  visit(doc, {
    Scalar: (_, node) => (node.tag ? refuseTag(node.tag) : undefined),
    Map: (_, node) => {
      if (node.tag) return refuseTag(node.tag);
      // Keys as the data will have them: `1` and "1" are the same key once read.
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : pair.key === null ? '' : null;
        if (key === null) continue;
        if (seen.has(key)) {
          const at = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]) : undefined;
          error = {
            code: 'not_yaml',
            message: `Map keys must be unique: "${key.slice(0, 100)}" appears twice${at ? ` (line ${at.line}, column ${at.col})` : ''}.`,
          };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
    Seq: (_, node) => (node.tag ? refuseTag(node.tag) : undefined),
    Pair: (_, pair) => {
      if (pair.key !== null && !isScalar(pair.key)) {
        error = {
          code: 'not_yaml',
          message: `Map keys must be plain text${isCollection(pair.key) ? ', not a list or map' : ''}.`,
        };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return error;
}

function unexpected(err: unknown): PortableFlowError {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { code: 'too_deep', message: `The file is nested too deeply to read (a flow file is at most ${MAX_DEPTH} levels deep).` };
  }
  if (err instanceof ReferenceError && /alias/i.test(err.message)) {
    return { code: 'too_large', message: 'The file uses YAML aliases too often: it would expand far beyond the size limit.' };
  }
  return { code: 'not_yaml', message: 'This file could not be read as YAML or JSON.' };
}

function fail(code: PortableFlowError['code'], message: string, problems?: Problem[]): PortableDataResult {
  return { ok: false, error: { code, message, ...(problems ? { problems } : {}) } };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/[.:]\s*$/, '');
}

/** UTF-8 length without encoding the whole text when the answer is clear from its length alone. */
function utf8Length(text: string): number {
  if (text.length > MAX_PORTABLE_FLOW_BYTES || text.length * 3 <= MAX_PORTABLE_FLOW_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}
