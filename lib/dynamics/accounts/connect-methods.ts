import type { AuthMethod } from '@/lib/dynamics/client/types';

/**
 * The three ways to connect a Dynamics 365 for Sales account, described once: the connect dialog
 * renders these fields and the server validates against the same list.
 */
export type ConnectFieldName =
  | 'serviceUrl'
  | 'apiVersion'
  | 'clientId'
  | 'clientSecret'
  | 'accessToken'
  | 'refreshToken'
  | 'username'
  | 'password'
  | 'clientSecretExpiresOn';

export interface ConnectField {
  name: ConnectFieldName;
  label: string;
  help: string;
  kind: 'url' | 'text' | 'secret' | 'email' | 'date';
  required: boolean;
  placeholder?: string;
}

export interface ConnectMethod {
  id: AuthMethod;
  title: string;
  summary: string;
  fields: ConnectField[];
}

export const SECRET_FIELDS = ['clientSecret', 'accessToken', 'refreshToken', 'password'] as const satisfies readonly ConnectFieldName[];
export type SecretFieldName = (typeof SECRET_FIELDS)[number];

/** What the browser shows instead of a stored secret; sending it back keeps the stored value. */
export const SECRET_PLACEHOLDER = '•••• set';

const serviceUrl: ConnectField = {
  name: 'serviceUrl',
  label: 'Service URL',
  help: 'The address of your Dynamics 365 organization, as shown in the Power Platform admin center under Environments → your environment → Environment URL. For example https://contoso.crm.dynamics.com (regional hosts such as crm4 work too) or https://contoso.crm.microsoftdynamics.de.',
  kind: 'url',
  required: true,
  placeholder: 'https://<organization>.crm.dynamics.com',
};

const apiVersion: ConnectField = {
  name: 'apiVersion',
  label: 'API version',
  help: 'The Dataverse Web API version to call, such as v9.1. Leave it empty to use v9.2, the current version.',
  kind: 'text',
  required: false,
  placeholder: 'v9.2',
};

const clientId: ConnectField = {
  name: 'clientId',
  label: 'Client ID',
  help: 'The Application (client) ID of your app registration: in the Azure portal open Microsoft Entra ID → App registrations → your app → Overview.',
  kind: 'text',
  required: true,
  placeholder: '00000000-0000-0000-0000-000000000000',
};

const clientSecret: ConnectField = {
  name: 'clientSecret',
  label: 'Client secret',
  help: 'A secret value of the same app registration, from Certificates & secrets → Client secrets. Azure shows the value only once, right after you create it.',
  kind: 'secret',
  required: true,
};

const clientSecretExpiresOn: ConnectField = {
  name: 'clientSecretExpiresOn',
  label: 'Client secret expires on',
  help: 'The date Azure shows in the Expires column next to the secret. The catalog warns you two weeks before, so flows do not stop by surprise.',
  kind: 'date',
  required: false,
};

export const connectMethods: ConnectMethod[] = [
  {
    id: 'auth_code',
    title: 'Sign in with Microsoft (OAuth 2.0 auth code)',
    summary: 'You are sent to Microsoft to sign in and approve access; no password is stored here.',
    fields: [serviceUrl, apiVersion],
  },
  {
    id: 'basic_oauth',
    title: 'Provide tokens and client credentials (Basic OAuth)',
    summary: 'Paste an access and refresh token issued to your app registration, or let us generate them for you.',
    fields: [
      serviceUrl,
      apiVersion,
      {
        name: 'accessToken',
        label: 'Access token',
        help: 'A current access token for the organization, issued to the client ID below. It is renewed automatically with the refresh token.',
        kind: 'secret',
        required: true,
      },
      {
        name: 'refreshToken',
        label: 'Refresh token',
        help: 'The refresh token issued together with the access token (request the offline_access scope to get one).',
        kind: 'secret',
        required: true,
      },
      clientId,
      clientSecret,
      clientSecretExpiresOn,
    ],
  },
  {
    id: 'password',
    title: 'Username, password and client credentials (OAuth 2.0 password)',
    summary: 'A Dynamics user signs in non-interactively through your app registration. Does not work for accounts that require MFA.',
    fields: [
      serviceUrl,
      apiVersion,
      clientId,
      clientSecret,
      clientSecretExpiresOn,
      {
        name: 'username',
        label: 'Username',
        help: 'The Microsoft work account the flows act as, e.g. sales@contoso.onmicrosoft.com.',
        kind: 'email',
        required: true,
      },
      {
        name: 'password',
        label: 'Password',
        help: 'The password of that account. It is encrypted at rest and never shown again.',
        kind: 'secret',
        required: true,
      },
    ],
  },
];

export function connectMethod(id: AuthMethod): ConnectMethod {
  const method = connectMethods.find((m) => m.id === id);
  if (!method) throw new Error(`unknown connect method ${id}`);
  return method;
}

export const isSecretField = (name: ConnectFieldName): name is SecretFieldName => (SECRET_FIELDS as readonly string[]).includes(name);
