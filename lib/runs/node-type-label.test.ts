import { describe, expect, it } from 'vitest';
import { TOOLBOX } from '@/lib/connectors/toolbox';
import { nodeTypeLabel } from './node-type-label';

describe('nodeTypeLabel', () => {
  it('uses the toolbox titles for built-in triggers and steps', () => {
    expect(nodeTypeLabel('api.request')).toBe('HTTP request received');
    expect(nodeTypeLabel('manual.trigger')).toBe('Manual start');
    expect(nodeTypeLabel('toolbox.fail')).toBe('Fail');
    for (const entry of TOOLBOX.flatMap((a) => [...a.events, ...a.actions])) expect(nodeTypeLabel(entry.id)).toBe(entry.title);
  });

  it('reads Dynamics events and actions as words', () => {
    expect(nodeTypeLabel('dynamics.lead.new')).toBe('New lead');
    expect(nodeTypeLabel('dynamics.account.new_or_updated')).toBe('New or updated account');
    expect(nodeTypeLabel('dynamics.salesorder.create')).toBe('Create order');
    expect(nodeTypeLabel('dynamics.contact.retrieve')).toBe('Retrieve contacts');
    expect(nodeTypeLabel('dynamics.new_project.upsert')).toBe('Update or create new project');
  });

  it('shows what it does not know as it is', () => {
    expect(nodeTypeLabel('dynamics.lead.explode')).toBe('dynamics.lead.explode');
    expect(nodeTypeLabel('custom.thing')).toBe('custom.thing');
    expect(nodeTypeLabel(null)).toBe('Unknown');
  });
});
