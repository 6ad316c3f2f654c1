import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeForm } from '../../../forms/describe-form';
import { AUTH_METHOD_DESCRIPTIONS, authMethod } from './connection-methods';
import {
  blamedField,
  checkFields,
  connectionField,
  formSchema,
  requestShape,
  SECRET_PLACEHOLDER,
  secretFieldNames,
  secretPresence,
  splitSecrets,
  type AuthMethodDescription,
} from './define-connection';

describe('the connection description', () => {
  it('declares the three methods once, each pointing at an organization', () => {
    expect(AUTH_METHOD_DESCRIPTIONS.map((m) => m.id)).toEqual(['auth_code', 'basic_oauth', 'password']);
    for (const method of AUTH_METHOD_DESCRIPTIONS) {
      expect(method.fields.serviceUrl?.required).toBe(true);
      expect(method.fields.apiVersion?.required).toBe(false);
      expect(method.fields.identityEndpoint).toMatchObject({ required: false, advanced: true });
    }
    expect(authMethod('auth_code').signIn).toBe('redirect');
    expect(() => authMethod('kerberos')).toThrow(/unknown authorization method/);
  });

  it('says which fields are secret: those are stored encrypted and never shown', () => {
    expect(secretFieldNames(authMethod('auth_code'))).toEqual(['clientSecret']);
    expect(secretFieldNames(authMethod('basic_oauth')).sort()).toEqual(['accessToken', 'clientSecret', 'refreshToken']);
    expect(secretFieldNames(authMethod('password')).sort()).toEqual(['clientSecret', 'password']);
    const split = splitSecrets(authMethod('password'), { clientId: 'c', username: 'u', clientSecret: 's', password: 'p', stray: 'x' });
    expect(split).toEqual({ settings: { clientId: 'c', username: 'u' }, secrets: { clientSecret: 's', password: 'p' } });
    expect(secretPresence(authMethod('password'), { clientSecret: 's' })).toEqual({ clientSecret: SECRET_PLACEHOLDER, password: null });
  });

  it('derives the form the dialog renders: labels, help, widgets, secrets and the Advanced group', () => {
    const fields = describeForm(formSchema(authMethod('password'))).fields;
    expect(fields.map((f) => f.name)).toEqual([
      'serviceUrl',
      'apiVersion',
      'clientId',
      'clientSecret',
      'clientSecretExpiresOn',
      'username',
      'password',
      'identityEndpoint',
    ]);
    expect(fields.find((f) => f.name === 'password')).toMatchObject({
      label: 'Password',
      widget: 'password',
      secret: true,
      required: true,
    });
    expect(fields.find((f) => f.name === 'serviceUrl')).toMatchObject({
      widget: 'url',
      placeholder: 'https://<organization>.crm.dynamics.com',
    });
    expect(fields.find((f) => f.name === 'identityEndpoint')).toMatchObject({ group: 'advanced', required: false });
    expect(fields.find((f) => f.name === 'clientSecretExpiresOn')).toMatchObject({ widget: 'date', required: false });
    const basic = describeForm(formSchema(authMethod('basic_oauth'))).fields;
    expect(basic.find((f) => f.name === 'accessToken')).toMatchObject({ fromTokens: 'accessToken', secret: true });
  });

  it('derives what a request may carry: every field optional, empty allowed, wrong types and sizes refused', () => {
    const request = z.strictObject(requestShape(authMethod('password')));
    expect(request.safeParse({}).success).toBe(true);
    expect(request.safeParse({ password: '', clientSecretExpiresOn: '' }).success).toBe(true);
    expect(request.safeParse({ password: 42 }).success).toBe(false);
    expect(request.safeParse({ username: 'x'.repeat(321) }).success).toBe(false);
    expect(request.safeParse({ clientSecretExpiresOn: 'next tuesday' }).success).toBe(false);
    expect(request.safeParse({ accessToken: 't' }).success).toBe(false); // not a field of this method
  });

  it('checks completeness by label and never echoes a value', () => {
    const result = checkFields(authMethod('password'), { serviceUrl: 'https://o.crm.dynamics.com', clientId: 'c', password: '   ' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { field: 'clientSecret', message: 'Client secret is required for this authorization method.' },
        { field: 'username', message: 'Username is required for this authorization method.' },
        { field: 'password', message: 'Password is required for this authorization method.' },
      ]),
    );
    const bad = checkFields(authMethod('basic_oauth'), {
      serviceUrl: 'https://o.crm.dynamics.com',
      accessToken: 'a',
      refreshToken: 'r',
      clientId: 'c',
      clientSecret: 'canary-9d1',
      clientSecretExpiresOn: '2027-13-45',
    });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('canary-9d1');
  });

  it('points a failed sign-in at the field to blame, as each field declares', () => {
    const password = authMethod('password');
    expect(blamedField(password, { aadsts: 50126 })).toBe('password');
    expect(blamedField(password, { aadsts: 50034 })).toBe('username');
    expect(blamedField(password, { aadsts: 7000215 })).toBe('clientSecret');
    expect(blamedField(password, { code: 'invalid_client' })).toBe('clientSecret');
    expect(blamedField(password, { code: 'unsafe_url' })).toBe('serviceUrl');
    expect(blamedField(password, { status: 404 })).toBe('serviceUrl');
    expect(blamedField(password, { aadsts: 1, code: 'other', status: 500 })).toBeUndefined();
    expect(blamedField(authMethod('basic_oauth'), { aadsts: 700082 })).toBe('refreshToken');
  });

  it('carries a new field everywhere from one declaration (form, request, check, storage, view)', () => {
    // What adding a field to a method in connection-methods.ts amounts to: one more entry.
    const base = authMethod('password');
    const withTenant: AuthMethodDescription = {
      ...base,
      fields: {
        ...base.fields,
        tenantId: connectionField(z.string().trim().min(1).max(64), { label: 'Tenant', help: 'The directory.', widget: 'text' }),
        pin: connectionField(z.string().min(4), { label: 'PIN', help: 'A second secret.', widget: 'password', secret: true }),
      },
    };
    expect(describeForm(formSchema(withTenant)).fields.map((f) => f.name)).toEqual(expect.arrayContaining(['tenantId', 'pin']));
    expect(z.strictObject(requestShape(withTenant)).safeParse({ tenantId: 't1', pin: '1234' }).success).toBe(true);
    const checked = checkFields(withTenant, {
      serviceUrl: 'https://o.crm.dynamics.com',
      clientId: 'c',
      clientSecret: 's',
      username: 'u',
      password: 'p',
    });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues.map((i) => i.field).sort()).toEqual(['pin', 'tenantId']);
    expect(splitSecrets(withTenant, { tenantId: 't1', pin: '1234' })).toEqual({ settings: { tenantId: 't1' }, secrets: { pin: '1234' } });
    expect(secretPresence(withTenant, { pin: '1234' })).toMatchObject({ pin: SECRET_PLACEHOLDER });
  });
});
