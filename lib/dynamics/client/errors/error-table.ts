/**
 * Plain-words explanations for Dataverse error codes and HTTP statuses, as data.
 * Codes are the hex values the Web API sends in `error.code` (Dataverse's web service error codes,
 * e.g. `0x80040217` ObjectDoesNotExist, `0x80072322` throttled); statuses are the ones the Web API
 * documents for its errors.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 */

export interface ErrorMeaning {
  explanation: string;
  transient?: boolean;
}

/**
 * Dataverse's "duplicate record" code: a row with this primary key (or these key values) exists.
 * After a retried keyed create it means the first try landed and only its answer was lost.
 */
export const DUPLICATE_KEY_CODE = '0x80040237';

/** Keyed by the lower-case hex code Dataverse sends in `error.code`. */
export const DATAVERSE_CODES: Readonly<Record<string, ErrorMeaning>> = {
  '0x8006088a': {
    explanation: 'The table does not exist in this organization, or its name is misspelled (table names are case-sensitive).',
  },
  '0x80060888': { explanation: 'The query is not valid: one of its columns or options is not recognised by Dataverse.' },
  '0x80040217': { explanation: 'The record does not exist. It may have been deleted, or the id is wrong.' },
  [DUPLICATE_KEY_CODE]: { explanation: 'A record with the same id or key values already exists.' },
  '0x80060892': { explanation: 'Another record already has the same value for this alternate key.' },
  '0x80040333': { explanation: 'Duplicate detection found an existing record like this one, so nothing was saved.' },
  '0x80048408': { explanation: 'The status reason does not belong to the record’s status (each status reason belongs to one status).' },
  '0x80048d19': { explanation: 'The data sent does not match the table: a column name or a lookup binding is wrong.' },
  '0x80044331': { explanation: 'A value is out of range or too long for its column.' },
  '0x8004431a': { explanation: 'The choice value is not one of the column’s options.' },
  '0x80040265': { explanation: 'A business rule or plug-in in the organization refused the change.' },
  '0x80040203': { explanation: 'A value sent to Dataverse is not valid.' },
  '0x80040220': { explanation: 'The connected user lacks a privilege (security role) needed for this operation.' },
  '0x80048306': { explanation: 'The connected user has no access right to this record.' },
  '0x80048405': { explanation: 'Access is denied for the connected user.' },
  '0x80072322': { explanation: 'Dataverse is throttling this user: too many requests in the last five minutes.', transient: true },
  '0x80072321': {
    explanation: 'Dataverse is throttling this user: requests took too much combined time in the last five minutes.',
    transient: true,
  },
  '0x80072326': { explanation: 'Dataverse is throttling this user: too many requests at the same time.', transient: true },
  '0x80072327': { explanation: 'Dataverse is throttling this user: too many requests at the same time.', transient: true },
  '0x80072560': {
    explanation:
      'The user signed in, but has no access to this Dynamics 365 organization. Ask an administrator to add the user to the environment with a security role.',
  },
  '0x8005f101': { explanation: 'The access token has expired; the connection must get a new one.' },
};

/** Fallback by HTTP status when the code is missing, `0x0` or unknown. */
export const HTTP_STATUSES: Readonly<Record<number, ErrorMeaning>> = {
  400: { explanation: 'Dataverse rejected the request: a column, value or query option is not valid.' },
  401: {
    explanation:
      'Dataverse refused the access token (expired, for another organization, or revoked). Reconnect the account if this persists.',
  },
  403: { explanation: 'The connected user is not allowed to do this (missing security role or privilege).' },
  404: { explanation: 'The record or table was not found.' },
  405: { explanation: 'This operation is not supported on this resource.' },
  408: { explanation: 'Dataverse timed out while handling the request.', transient: true },
  412: { explanation: 'The record changed since it was read, or a record with the same key already exists.' },
  413: { explanation: 'The request is too large for Dataverse.' },
  429: { explanation: 'Dataverse is throttling this user; the request will be retried after the time it asks for.', transient: true },
  500: { explanation: 'Dataverse had an internal error.', transient: true },
  501: { explanation: 'Dataverse does not implement this operation.' },
  502: { explanation: 'A gateway in front of Dataverse failed.', transient: true },
  503: { explanation: 'Dataverse is temporarily unavailable.', transient: true },
  504: { explanation: 'A gateway in front of Dataverse timed out.', transient: true },
};

/** Codes for failures that happen before or outside an HTTP answer. */
export const LOCAL_CODES: Readonly<Record<string, ErrorMeaning>> = {
  network: { explanation: 'The connection to Dataverse failed or was dropped.', transient: true },
  timeout: { explanation: 'Dataverse did not answer in time.', transient: true },
  aborted: { explanation: 'The call was cancelled.' },
  unsafe_url: { explanation: 'The address is not an allowed Dynamics 365 address.' },
  redirect: {
    explanation: 'Dataverse answered with a redirect; redirects are not followed so that credentials never leave for another host.',
  },
  invalid_request: { explanation: 'The request could not be built: a table, column, id or value is not valid.' },
  invalid_response: { explanation: 'Dataverse sent an answer that could not be read.', transient: true },
  needs_reconnect: { explanation: 'The account must be reconnected before it can be used.' },
};
