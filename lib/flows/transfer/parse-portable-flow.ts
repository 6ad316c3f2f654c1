import type { z } from 'zod';
import { kindOf } from '../model/node-kinds';
import type { Problem } from '../model/problem';
import { MAX_PORTABLE_FLOW_BYTES } from './portable-flow-limits';
import {
  CURRENT_FORMAT_VERSION,
  PORTABLE_FORMATS,
  portableEnvelopeSchema,
  readPortableFlowDocument,
  type ParsePortableResult,
  type PortableFlowError,
} from './portable-flow-schema';
import { readPortableData } from './read-portable-data';

export { MAX_PORTABLE_FLOW_BYTES };

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
  } catch {
    return { ok: false, error: unexpected() };
  }
}

function parse(text: string): ParsePortableResult {
  const read = readPortableData(text);
  return read.ok ? portableFromData(read.data) : read;
}

/**
 * The second stage: plain data (from readPortableData, here or in a process of its own) to a
 * checked portable flow. Never throws.
 */
export function portableFromData(raw: unknown): ParsePortableResult {
  try {
    return fromData(raw);
  } catch {
    return { ok: false, error: unexpected() };
  }
}

function fromData(raw: unknown): ParsePortableResult {
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

function unexpected(): PortableFlowError {
  return { code: 'invalid_document', message: 'The file could not be read as a flow file.' };
}

function fail(code: PortableFlowError['code'], message: string, problems?: Problem[]): ParsePortableResult {
  return { ok: false, error: { code, message, ...(problems ? { problems } : {}) } };
}
