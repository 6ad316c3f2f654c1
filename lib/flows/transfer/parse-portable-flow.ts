import { isCollection, isScalar, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { kindOf } from '../model/node-kinds';
import type { Problem } from '../model/problem';
import { checkPlainData, MAX_DEPTH } from './check-plain-data';
import { estimateYamlDepth } from './estimate-yaml-depth';
import { MAX_PORTABLE_FLOW_BYTES } from './portable-flow-limits';
import {
  CURRENT_FORMAT_VERSION,
  PORTABLE_FORMATS,
  portableEnvelopeSchema,
  readPortableFlowDocument,
  type ParsePortableResult,
  type PortableFlowError,
} from './portable-flow-schema';

export { MAX_PORTABLE_FLOW_BYTES };

/** How far the parsed data may grow past the file (aliases repeat what they name): twice the file limit. */
const MAX_EXPANDED_SIZE = 2 * MAX_PORTABLE_FLOW_BYTES;

/** Refused before parsing (the parser would spend seconds on a megabyte of brackets); the exact limit, MAX_DEPTH, is checked on the data. */
const MAX_ESTIMATED_DEPTH = 200;

/** Aliases are plain YAML, but each one repeats data; a handful is all a hand-written file needs. */
const MAX_ALIAS_COUNT = 20;

/**
 * Reads a portable flow file (YAML, or JSON, which YAML includes) into a checked portable flow, or
 * one error with a code and a plain message. Never throws. In order: the size, the YAML (one
 * document, unique keys, no tags, no aliases beyond a few), the data (no prototype keys, not deeper
 * than 64, plain JSON values), the envelope (format, formatVersion, template, accounts), the flow
 * (through the model's migrations and schema), and the placeholders (every Dynamics step names a
 * declared one; every declared one is used).
 *
 * @example parsePortableFlow(exportPortableFlow(document, accounts)) // { ok: true, portable }
 */
export function parsePortableFlow(text: string): ParsePortableResult {
  try {
    return parse(text);
  } catch (err) {
    return { ok: false, error: unexpected(err) };
  }
}

function parse(text: string): ParsePortableResult {
  if (utf8Length(text) > MAX_PORTABLE_FLOW_BYTES) {
    return fail('too_large', `The file is larger than the limit of ${MAX_PORTABLE_FLOW_BYTES / 1024 / 1024} MiB.`);
  }
  if (!text.trim()) return fail('not_yaml', 'The file is empty.');
  if (estimateYamlDepth(text) > MAX_ESTIMATED_DEPTH) {
    return fail('too_deep', `The file is nested deeper than a flow file may be (at most ${MAX_DEPTH} levels).`);
  }

  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    merge: false,
    uniqueKeys: true,
    prettyErrors: true,
    strict: true,
    customTags: [],
  });
  const yamlError = doc.errors[0];
  if (yamlError) return fail('not_yaml', `This is not a valid YAML or JSON file: ${firstLine(yamlError.message)}.`);
  const shapeError = checkYamlShape(doc);
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

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('wrong_format', 'This is not a flow file: it should be a map starting with "format: dynamics-flow-designer/flow".');
  }
  const envelopeError = checkFormat(raw as Record<string, unknown>);
  if (envelopeError) return { ok: false, error: envelopeError };
  const envelope = portableEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return fail('invalid_document', 'The file is not a valid flow file; see the problems.', zodProblems(envelope.error.issues));
  }

  const read = readPortableFlowDocument(envelope.data.flow);
  if (!read.ok) return { ok: false, error: read.error };

  const placeholderError = checkPlaceholders(read.flow.nodes, envelope.data.accounts);
  if (placeholderError) return { ok: false, error: placeholderError };

  return {
    ok: true,
    portable: {
      format: envelope.data.format,
      formatVersion: envelope.data.formatVersion,
      ...(envelope.data.template ? { template: envelope.data.template } : {}),
      accounts: envelope.data.accounts,
      flow: read.flow,
      problems: read.problems,
    },
  };
}

/** One YAML document of plain maps, sequences and scalars: no explicit tags (`!!js/function`, `!custom`, `!!binary`), no keys that are collections. */
function checkYamlShape(doc: Document.Parsed): PortableFlowError | null {
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
    Map: (_, node) => (node.tag ? refuseTag(node.tag) : undefined),
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

/** The format first: a file of something else gets "not a flow file", not a list of schema problems. */
function checkFormat(raw: Record<string, unknown>): PortableFlowError | null {
  const format = raw.format;
  if (typeof format !== 'string' || !(PORTABLE_FORMATS as readonly string[]).includes(format)) {
    const found = typeof format === 'string' ? ` (its format is "${format.slice(0, 100)}")` : '';
    return {
      code: 'wrong_format',
      message: `This is not a Dynamics Flow Designer flow file${found}: it should start with "format: dynamics-flow-designer/flow".`,
    };
  }
  const version = raw.formatVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > CURRENT_FORMAT_VERSION) {
    return {
      code: 'newer_format',
      message: `This file was written by a newer version of the app (format version ${version}; this one reads up to ${CURRENT_FORMAT_VERSION}). Update the app to import it.`,
    };
  }
  if (version !== CURRENT_FORMAT_VERSION) {
    return { code: 'wrong_format', message: `The file's formatVersion should be ${CURRENT_FORMAT_VERSION}.` };
  }
  return null;
}

function checkPlaceholders(
  nodes: readonly { id: string; type: string; params: { accountId?: string } }[],
  accounts: Record<string, unknown>,
): PortableFlowError | null {
  const used = new Set<string>();
  const undeclared: Problem[] = [];
  const undeclaredNames = new Set<string>();
  for (const node of nodes) {
    const accountId = node.params.accountId;
    if (accountId === undefined) continue;
    used.add(accountId);
    if (!Object.hasOwn(accounts, accountId)) {
      undeclaredNames.add(accountId);
      undeclared.push({
        nodeId: node.id,
        field: 'params.accountId',
        code: 'undeclared_placeholder',
        message: `"${accountId}" is not one of the file's account placeholders`,
      });
    }
  }
  if (undeclared.length) {
    const names = [...undeclaredNames].map((n) => `"${n}"`).join(', ');
    return {
      code: 'undeclared_placeholder',
      message: `A step names an account placeholder the file does not declare under "accounts": ${names}.`,
      problems: undeclared,
    };
  }
  const unused = Object.keys(accounts).filter((key) => !used.has(key));
  if (unused.length) {
    return {
      code: 'unused_placeholder',
      message: `The file declares an account placeholder no step uses: ${unused.map((k) => `"${k}"`).join(', ')}.`,
      problems: unused.map((key) => ({ field: `accounts.${key}`, code: 'unused_placeholder', message: `no step uses "${key}"` })),
    };
  }
  // A placeholder on a step that runs without an account is the model's problem (already refused); kindOf keeps this honest for drafts.
  const strayed = nodes.filter((n) => n.params.accountId !== undefined && kindOf(n.type)?.needsAccount === false);
  if (strayed.length) {
    return {
      code: 'invalid_document',
      message: 'A step that runs without an account names one.',
      problems: strayed.map((n) => ({
        nodeId: n.id,
        field: 'params.accountId',
        code: 'schema',
        message: `${n.type} runs without an account`,
      })),
    };
  }
  return null;
}

function zodProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return { ...(field ? { field } : {}), code: 'schema', message: issue.message };
  });
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

function fail(code: PortableFlowError['code'], message: string, problems?: Problem[]): ParsePortableResult {
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
