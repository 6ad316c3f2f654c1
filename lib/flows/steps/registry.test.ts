import { describe, expect, it } from 'vitest';
import { NODE_KINDS } from '../model/node-kinds';
import { dynamicsAction } from './dynamics-action';
import { httpRequest } from './http-request';
import { retriesInside, stepExecutorFor } from './registry';
import { runFail, runForEach, runIf, runLog, runResponse, runSetVariable } from './toolbox';

describe('stepExecutorFor', () => {
  it('has an executor for every non-trigger node kind of the model, none for triggers', () => {
    const sample = (key: string) => key.replace('<table>', 'contact');
    for (const kind of NODE_KINDS) {
      const type = sample(kind.key);
      if (kind.category === 'trigger') expect(stepExecutorFor(type), type).toBeUndefined();
      else expect(stepExecutorFor(type), type).toBeTypeOf('function');
    }
  });

  it('maps each type to its executor', () => {
    expect(stepExecutorFor('dynamics.new_project.upsert')).toBe(dynamicsAction);
    expect(stepExecutorFor('http.request')).toBe(httpRequest);
    expect(
      ['toolbox.if', 'toolbox.for_each', 'toolbox.set_variable', 'toolbox.log', 'api.response', 'toolbox.fail'].map(stepExecutorFor),
    ).toEqual([runIf, runForEach, runSetVariable, runLog, runResponse, runFail]);
  });

  it('knows nothing of events, malformed or unknown types', () => {
    for (const type of ['dynamics.contact.new', 'dynamics.Contact.create', 'dynamics.contact', 'toolbox.sleep', 'api.request', ''])
      expect(stepExecutorFor(type), type).toBeUndefined();
  });
});

describe('retriesInside', () => {
  it('is true for Dynamics actions only (the client retries inside the call)', () => {
    expect(retriesInside('dynamics.contact.create')).toBe(true);
    expect(retriesInside('dynamics.account.delete')).toBe(true);
    expect(retriesInside('http.request')).toBe(false);
    expect(retriesInside('toolbox.if')).toBe(false);
    expect(retriesInside('nothing')).toBe(false);
  });
});
