/**
 * The standard many-to-many relationships of the Sales tables and their intersect tables:
 * `accountleads_association` (account ↔ lead through `accountleads`) and
 * `contactleads_association` (contact ↔ lead through `contactleads`). An intersect row is one
 * association; its entity set (`accountleadscollection`) is in the service document and can be read,
 * not written: associations are made and removed through `$ref`. On both tables the
 * collection-valued navigation property is named after the relationship (Name == Partner).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties
 *        https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/accountleads
 */
import { col, stableGuid } from './columns';
import type { ManyToManyDef, TableDef } from './types';

function intersectTable(logicalName: string, schemaName: string, objectTypeCode: number, rel: ManyToManyDef): TableDef {
  const t = logicalName;
  const primaryId = `${t.replace(/s$/, '')}id`;
  return {
    logicalName: t,
    schemaName,
    entitySetName: `${t}collection`,
    collectionSchemaName: `${schemaName}Collection`,
    primaryId,
    primaryName: '',
    displayName: schemaName,
    displayCollectionName: schemaName,
    description: `Intersect table of the ${rel.schemaName} many-to-many relationship.`,
    ownership: 'None',
    objectTypeCode,
    isCustom: false,
    changeTracking: false,
    alternateKeys: [],
    columns: [
      col(t, primaryId, 'uniqueidentifier', 'Id', { isPrimaryId: true, required: 'SystemRequired', validForUpdate: false }),
      col(t, rel.entity1Attribute, 'uniqueidentifier', rel.entity1Attribute, { required: 'SystemRequired', validForUpdate: false }),
      col(t, rel.entity2Attribute, 'uniqueidentifier', rel.entity2Attribute, { required: 'SystemRequired', validForUpdate: false }),
      col(t, 'versionnumber', 'bigint', 'Version Number', { validForCreate: false, validForUpdate: false }),
    ],
    metadataId: stableGuid('entity', t),
    intersect: rel,
  };
}

export const accountleads = intersectTable('accountleads', 'AccountLeads', 16, {
  schemaName: 'accountleads_association',
  entity1: 'account',
  entity1Attribute: 'accountid',
  entity1Navigation: 'accountleads_association',
  entity2: 'lead',
  entity2Attribute: 'leadid',
  entity2Navigation: 'accountleads_association',
});

export const contactleads = intersectTable('contactleads', 'ContactLeads', 22, {
  schemaName: 'contactleads_association',
  entity1: 'contact',
  entity1Attribute: 'contactid',
  entity1Navigation: 'contactleads_association',
  entity2: 'lead',
  entity2Attribute: 'leadid',
  entity2Navigation: 'contactleads_association',
});
