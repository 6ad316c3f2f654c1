import { describe, expect, it } from 'vitest';
import { listApplications } from './catalog';
import { actionId, parseId } from '../dynamics/connector/ids';
import { dynamicsConnector } from '../dynamics/connector/dynamics-connector';

describe('the static catalog', () => {
  const [dynamics, ...toolbox] = listApplications();

  it('offers Dynamics 365 for Sales first with 42 built-in actions (seven kinds × six objects) under stable ids', () => {
    expect(dynamics?.title).toBe('Microsoft Dynamics 365 for Sales');
    expect(dynamics?.actions).toHaveLength(42);
    const ids = dynamics?.actions.map((a) => a.id) ?? [];
    expect(new Set(ids).size).toBe(42);
    expect(ids).toEqual(
      expect.arrayContaining([
        'dynamics.account.create',
        'dynamics.contact.retrieve',
        'dynamics.invoice.update',
        'dynamics.lead.upsert',
        'dynamics.salesorder.delete',
        'dynamics.product.create',
        'dynamics.lead.relate',
        'dynamics.contact.unrelate',
      ]),
    );
    expect(dynamics?.objects?.map((o) => o.displayCollectionName)).toEqual([
      'Accounts',
      'Contacts',
      'Invoices',
      'Leads',
      'Orders',
      'Products',
    ]);
  });

  it('declares side effect, idempotency and retry safety for every action', () => {
    for (const a of dynamics?.actions ?? []) {
      if (a.kind !== 'action') continue;
      const full = dynamics?.objects?.flatMap((o) => o.actions).find((x) => x.id === a.id);
      expect(full?.sideEffect).toMatch(/^(read|write)$/);
      expect(full?.idempotency).toMatch(/^(key|natural|none)$/);
      expect(full?.retrySafety.length).toBeGreaterThan(20);
      expect(full?.docUrl).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    }
    expect(dynamicsConnector.actions.map((a) => [a.kind, a.sideEffect, a.idempotency])).toEqual([
      ['create', 'write', 'key'],
      ['retrieve', 'read', 'natural'],
      ['update', 'write', 'natural'],
      ['upsert', 'write', 'key'],
      ['delete', 'write', 'natural'],
      ['relate', 'write', 'natural'],
      ['unrelate', 'write', 'natural'],
    ]);
  });

  it('lists the four events per object, Deleted and New or updated as configurable', () => {
    const account = dynamics?.objects?.[0];
    expect(account?.events.map((e) => [e.id, e.configurable])).toEqual([
      ['dynamics.account.new', false],
      ['dynamics.account.updated', false],
      ['dynamics.account.new_or_updated', true],
      ['dynamics.account.deleted', true],
    ]);
  });

  it('then the built-in toolbox', () => {
    const ids = toolbox.flatMap((a) => [...a.events, ...a.actions].map((e) => e.id));
    expect(ids).toEqual(
      expect.arrayContaining([
        'scheduler.schedule',
        'api.request',
        'api.response',
        'manual.trigger',
        'toolbox.if',
        'toolbox.for_each',
        'toolbox.set_variable',
        'toolbox.log',
        'http.request',
      ]),
    );
  });
});

describe('ids', () => {
  it('round-trip and refuse anything else', () => {
    expect(parseId(actionId('new_project', 'upsert'))).toEqual({ table: 'new_project', action: 'upsert' });
    expect(parseId('dynamics.contact.new_or_updated')).toEqual({ table: 'contact', event: 'new_or_updated' });
    for (const bad of [
      'dynamics.Account.create',
      'dynamics.account.drop',
      'other.account.create',
      'dynamics.account.create.x',
      "dynamics.a')x.create",
    ])
      expect(parseId(bad)).toBeNull();
  });
});
