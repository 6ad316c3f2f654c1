/**
 * Dataverse Web API error envelope and the codes the sandbox emits. Shape:
 *   {"error":{"code":"0x80040217","message":"…"}}
 * plus `@Microsoft.PowerApps.CDS.*` annotations inside `error` when the request's
 * `Prefer: odata.include-annotations` asks for them. Codes follow Dataverse's error-code table and
 * messages the wording real Web API responses carry.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 *        https://learn.microsoft.com/power-apps/developer/data-platform/org-service/web-service-error-codes
 */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageName = '',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const codes = {
  objectDoesNotExist: '0x80040217',
  duplicateRecord: '0x80040237',
  duplicateEntityKey: '0x80060892',
  segmentNotFound: '0x8006088a',
  payload: '0x80048d19',
  odata: '0x0',
  queryInvalid: '0x80060888',
  validation: '0x80044331',
  optionOutOfRange: '0x8004431a',
  expiredVersionStamp: '0x80044352',
  invalidArgument: '0x80040203',
  requestLimit: '0x80072322',
  executionTimeLimit: '0x80072321',
  concurrencyLimit: '0x80072326',
} as const;

export const err = {
  segmentNotFound: (segment: string) => new DataverseError(404, codes.segmentNotFound, `Resource not found for the segment '${segment}'.`),
  noResource: (url: string) => new DataverseError(404, '', `No HTTP resource was found that matches the request URI '${url}'.`),
  notFound: (table: string, id: string) =>
    new DataverseError(404, codes.objectDoesNotExist, `${table} With Id = ${id} Does Not Exist`, 'ObjectDoesNotExist'),
  notFoundByKey: (table: string, _keyText: string) =>
    new DataverseError(
      404,
      codes.objectDoesNotExist,
      `A record with the specified key values does not exist in ${table} entity`,
      'ObjectDoesNotExist',
    ),
  propertyNotFound: (prop: string, table: string) =>
    new DataverseError(400, codes.odata, `Could not find a property named '${prop}' on type 'Microsoft.Dynamics.CRM.${table}'.`),
  invalidBodyProperty: (prop: string, table: string) =>
    new DataverseError(
      400,
      codes.odata,
      `An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property '${prop}' was found in entity 'Microsoft.Dynamics.CRM.${table}'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.`,
    ),
  payload: (entitySet: string, inner: string) =>
    new DataverseError(
      400,
      codes.payload,
      `Error identified in Payload provided by the user for Entity :'${entitySet}'  ---->  InnerException : Microsoft.OData.ODataException: ${inner}`,
    ),
  duplicate: () => new DataverseError(412, codes.duplicateRecord, 'A record with matching key values already exists.', 'DuplicateRecord'),
  duplicateKey: (keyName: string, columns: string) =>
    new DataverseError(
      412,
      codes.duplicateEntityKey,
      `Entity Key ${keyName} violated. A record with the same value for ${columns} already exists. A duplicate record cannot be created. Select one or more unique values and try again.`,
      'DuplicateRecordEntityKey',
    ),
  versionMismatch: () =>
    new DataverseError(
      412,
      '',
      "The version of the existing record doesn't match the RowVersion property provided.",
      'ConcurrencyVersionMismatch',
    ),
  queryOption: (message: string) => new DataverseError(400, codes.odata, message),
  badRequest: (message: string, code: string = codes.odata) => new DataverseError(400, code, message),
  methodNotAllowed: (method: string) =>
    new DataverseError(405, codes.odata, `The requested resource does not support http method '${method}'.`),
  tooLarge: (limit: number) => new DataverseError(413, '', `The request body exceeds the maximum allowed size of ${limit} bytes.`),
  invalidKey: (table: string) =>
    new DataverseError(
      400,
      codes.odata,
      `The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.${table}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.${table}'.`,
    ),
  badGuid: (text: string) => new DataverseError(400, codes.odata, `Unrecognized 'Edm.Guid' literal '${text}' in the request URI.`),
  lengthExceeded: (column: string, table: string, max: number) =>
    new DataverseError(
      400,
      codes.validation,
      `A validation error occurred. The length of the '${column}' attribute of the '${table}' entity exceeded the maximum allowed length of '${max}'.`,
    ),
  outOfRange: (value: unknown, column: string, table: string) =>
    new DataverseError(
      400,
      codes.validation,
      `A validation error occurred. The value ${String(value)} of '${column}' on record of type '${table}' is outside the valid range.`,
    ),
  /** An undefined choice value: the platform's full text, with the values the column accepts. */
  optionOutOfRange: (value: unknown, column: string, table: string, accepted: readonly number[]) =>
    new DataverseError(
      400,
      codes.optionOutOfRange,
      `A validation error occurred. The value ${String(value)} of '${column}' on record of type '${table}' is outside the valid range. Accepted Values: ${accepted.join(',')}`,
      'PicklistValueOutOfRange',
    ),
  requiredMissing: (column: string) => new DataverseError(400, codes.invalidArgument, `Attribute '${column}' cannot be NULL.`),
};

/** The hex code's int form, as in the SDK (`ApiExceptionHttpStatusCode` style details). */
function messageNameFor(status: number): string {
  if (status === 404) return 'ObjectDoesNotExist';
  if (status === 412) return 'ConcurrencyVersionMismatch';
  if (status === 429) return 'ServiceProtectionLimit';
  return 'InvalidArgument';
}

/**
 * The JSON body. `withDetails` adds the `@Microsoft.PowerApps.CDS.*` annotations real payloads carry
 * when `odata.include-annotations` includes them.
 */
export function errorBody(e: DataverseError, withDetails: boolean): string {
  const error: Record<string, string> = { code: e.code, message: e.message };
  if (withDetails) {
    const hex = e.code.startsWith('0x') && e.code !== '0x0' ? e.code.slice(2).toLowerCase() : '';
    error['@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionCategory'] = e.status >= 500 ? 'SystemFailure' : 'ClientError';
    error['@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionMessageName'] = e.messageName || messageNameFor(e.status);
    error['@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode'] = String(e.status);
    if (hex) {
      error['@Microsoft.PowerApps.CDS.HelpLink'] =
        `http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${hex}&client=platform`;
    }
    error['@Microsoft.PowerApps.CDS.InnerError.Message'] = e.message;
  }
  return JSON.stringify({ error });
}
