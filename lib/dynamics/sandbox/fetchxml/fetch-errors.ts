/**
 * The errors Dataverse answers a FetchXML query with: the query-builder codes of its error-code
 * table (QueryBuilderNoEntity 0x80041102, QueryBuilderNoAttribute 0x80041103, …) with the messages
 * real responses carry, and the aggregate limit (AggregateQueryRecordLimit, 0x8004E023). All 400.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data#limitations
 */
import { DataverseError, codes } from '../errors';

export const fetchCodes = {
  noEntity: '0x80041102',
  noAttribute: '0x80041103',
  invalidAlias: '0x80041109',
  noAlias: '0x8004110B',
  invalidAggregate: '0x8004111A',
  invalidNode: '0x8004111C',
  invalidConditionOperator: '0x80041120',
  invalidLinkType: '0x80041121',
  invalidFilterType: '0x80041122',
  entitiesDontMatch: '0x80041128',
  aggregateLimit: '0x8004E023',
} as const;

const bad = (code: string, message: string, name = '') => new DataverseError(400, code, message, name);

export const fetchErr = {
  malformed: (detail: string) => bad(codes.invalidArgument, `Invalid XML. ${detail}`, 'InvalidXml'),
  noEntity: (name: string) =>
    bad(
      fetchCodes.noEntity,
      `The entity with a name = '${name}' with namemapping = 'Logical' was not found in the MetadataCache.`,
      'QueryBuilderNoEntity',
    ),
  noAttribute: (table: string, column: string) =>
    bad(
      fetchCodes.noAttribute,
      `'${table}' entity doesn't contain attribute with Name = '${column}' and NameMapping = 'Logical'.`,
      'QueryBuilderNoAttribute',
    ),
  entitiesDontMatch: (fetchEntity: string, setEntity: string) =>
    bad(
      fetchCodes.entitiesDontMatch,
      `The entity name specified in FetchXml does not match the entity name in the EntitySet. FetchXml entity: '${fetchEntity}', EntitySet entity: '${setEntity}'.`,
      'QueryBuilderEntitiesDontMatch',
    ),
  invalidNode: (node: string, parent: string) =>
    bad(fetchCodes.invalidNode, `The '${node}' element is not valid inside '${parent}'.`, 'QueryBuilderDeserializeInvalidNode'),
  invalidValue: (attribute: string, element: string, value: string) =>
    bad(codes.invalidArgument, `'${value}' is not a valid value for the '${attribute}' attribute of '${element}'.`, 'InvalidArgument'),
  operator: (op: string) =>
    bad(fetchCodes.invalidConditionOperator, `Condition operator '${op}' is not valid.`, 'QueryBuilderInvalidConditionOperator'),
  unsupportedOperator: (op: string) =>
    bad(fetchCodes.invalidConditionOperator, `The condition operator '${op}' is not supported by the Dynamics 365 sandbox.`),
  filterType: (type: string) => bad(fetchCodes.invalidFilterType, `Invalid filter type '${type}'.`, 'QueryBuilderInvalidFilterType'),
  linkType: (type: string) => bad(fetchCodes.invalidLinkType, `Invalid link-type '${type}'.`, 'QueryBuilderInvalidJoinOperator'),
  noAlias: () => bad(fetchCodes.noAlias, 'An alias is required for an aggregate attribute.', 'QueryBuilderNoAlias'),
  aliasNotFound: (alias: string) =>
    bad(fetchCodes.invalidAlias, `The alias '${alias}' does not exist in the query.`, 'QueryBuilderAlias_Does_Not_Exist'),
  aggregateNeeded: (column: string) =>
    bad(
      fetchCodes.invalidAggregate,
      `The attribute '${column}' of an aggregate query needs an aggregate function or groupby='true'.`,
      'QueryBuilderDeserializeInvalidAggregate',
    ),
  aggregateLimit: () =>
    bad(fetchCodes.aggregateLimit, 'AggregateQueryRecordLimit exceeded. Cannot perform this operation.', 'AggregateQueryRecordLimit'),
  conversion: (value: string, table: string, column: string, type: string) =>
    bad(
      codes.invalidArgument,
      `An exception System.FormatException was thrown while trying to convert input value '${value}' to attribute '${table}.${column}'. Expected type of attribute value: ${type}. Exception raised: Input string was not in a correct format.`,
    ),
  topWithTotalCount: () => bad(codes.invalidArgument, "The fetch attribute 'top' can't be used together with 'returntotalrecordcount'."),
  withOtherOptions: (option: string) =>
    bad(codes.queryInvalid, `The query parameter ${option} is not supported with the fetchXml query parameter.`),
};
