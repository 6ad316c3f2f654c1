/**
 * `$metadata` CSDL: namespace `Microsoft.Dynamics.CRM` alias `mscrm`, `crmbaseentity` base type,
 * `_x_value` lookup properties as Edm.Guid, single-valued navigation properties with
 * ReferentialConstraint, collection-valued ones with their Partner, alternate keys annotations, the
 * WhoAmI function, and the `System` entity container.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-service-documents
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-entitytypes
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-properties
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties
 */
import { isLookupKind, lookupProp, type Schema } from '../model/schema';
import type { ColumnDef } from '../tables/types';

const EDM: Record<ColumnDef['kind'], string> = {
  uniqueidentifier: 'Edm.Guid',
  string: 'Edm.String',
  memo: 'Edm.String',
  integer: 'Edm.Int32',
  bigint: 'Edm.Int64',
  decimal: 'Edm.Decimal',
  double: 'Edm.Double',
  money: 'Edm.Decimal',
  boolean: 'Edm.Boolean',
  datetime: 'Edm.DateTimeOffset',
  picklist: 'Edm.Int32',
  state: 'Edm.Int32',
  status: 'Edm.Int32',
  lookup: 'Edm.Guid',
  customer: 'Edm.Guid',
  owner: 'Edm.Guid',
};

const x = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** One document per organization schema, built on first use. */
const cached = new WeakMap<Schema, string>();

export function csdl(schema: Schema): string {
  const hit = cached.get(schema);
  if (hit) return hit;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="utf-8"?>');
  out.push('<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">');
  out.push(
    '<edmx:Reference Uri="http://vocabularies.odata.org/OData.Community.Keys.V1.xml"><edmx:Include Namespace="OData.Community.Keys.V1" Alias="Keys"/></edmx:Reference>',
  );
  out.push(
    '<edmx:Reference Uri="http://vocabularies.odata.org/OData.Community.Display.V1.xml"><edmx:Include Namespace="OData.Community.Display.V1" Alias="Display"/></edmx:Reference>',
  );
  out.push('<edmx:DataServices>');
  out.push('<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">');
  out.push('<EntityType Name="crmbaseentity" Abstract="true"/>');
  out.push(
    '<ComplexType Name="WhoAmIResponse"><Property Name="BusinessUnitId" Type="Edm.Guid" Nullable="false"/><Property Name="UserId" Type="Edm.Guid" Nullable="false"/><Property Name="OrganizationId" Type="Edm.Guid" Nullable="false"/></ComplexType>',
  );
  for (const info of schema.tables.values()) {
    const t = info.def;
    out.push(`<EntityType Name="${t.logicalName}" BaseType="mscrm.crmbaseentity">`);
    out.push(`<Key><PropertyRef Name="${t.primaryId}"/></Key>`);
    for (const c of t.columns) {
      const name = isLookupKind(c) ? lookupProp(c.name) : c.name;
      const type = c.kind === 'datetime' && c.dateOnly ? 'Edm.Date' : EDM[c.kind];
      const extra =
        c.kind === 'string' || c.kind === 'memo'
          ? ' Unicode="false"'
          : c.kind === 'money' || c.kind === 'decimal'
            ? ' Scale="Variable"'
            : '';
      out.push(`<Property Name="${name}" Type="${type}"${extra}/>`);
    }
    for (const nav of info.navSingle.values()) {
      out.push(
        `<NavigationProperty Name="${nav.name}" Type="mscrm.${nav.target}" Nullable="false" Partner="${x(nav.relationship)}"><ReferentialConstraint Property="${lookupProp(nav.column.name)}" ReferencedProperty="${schema.tables.get(nav.target)?.def.primaryId ?? ''}"/></NavigationProperty>`,
      );
    }
    for (const nav of info.navCollection.values()) {
      const partner = schema.tables.get(nav.referencingTable)?.navSingle;
      const partnerName = partner ? [...partner.values()].find((n) => n.relationship === nav.relationship)?.name : undefined;
      out.push(
        `<NavigationProperty Name="${x(nav.name)}" Type="Collection(mscrm.${nav.referencingTable})" Partner="${partnerName ?? ''}"/>`,
      );
    }
    // Many-to-many: the navigation property's Name equals its Partner (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties).
    for (const nav of info.navManyToMany.values())
      out.push(`<NavigationProperty Name="${x(nav.name)}" Type="Collection(mscrm.${nav.target})" Partner="${x(nav.name)}"/>`);
    if (t.alternateKeys.length) {
      out.push('<Annotation Term="OData.Community.Keys.V1.AlternateKeys"><Collection>');
      for (const k of t.alternateKeys) {
        out.push(`<Record Type="OData.Community.Keys.V1.AlternateKey"><PropertyValue Property="Key"><Collection>`);
        for (const c of k.columns)
          out.push(
            `<Record Type="OData.Community.Keys.V1.PropertyRef"><PropertyValue Property="Alias" String="${c}"/><PropertyValue Property="Name" PropertyPath="${c}"/></Record>`,
          );
        out.push('</Collection></PropertyValue></Record>');
      }
      out.push('</Collection></Annotation>');
    }
    out.push('</EntityType>');
  }
  out.push('<Function Name="WhoAmI"><ReturnType Type="mscrm.WhoAmIResponse" Nullable="false"/></Function>');
  out.push('<EntityContainer Name="System">');
  for (const info of schema.tables.values()) {
    const t = info.def;
    out.push(`<EntitySet Name="${t.entitySetName}" EntityType="mscrm.${t.logicalName}">`);
    for (const nav of info.navSingle.values()) {
      const target = schema.tables.get(nav.target);
      if (target) out.push(`<NavigationPropertyBinding Path="${nav.name}" Target="${target.def.entitySetName}"/>`);
    }
    for (const nav of info.navManyToMany.values()) {
      const target = schema.tables.get(nav.target);
      if (target) out.push(`<NavigationPropertyBinding Path="${x(nav.name)}" Target="${target.def.entitySetName}"/>`);
    }
    if (t.changeTracking)
      out.push(
        '<Annotation Term="Org.OData.Capabilities.V1.ChangeTracking"><Record><PropertyValue Property="Supported" Bool="true"/></Record></Annotation>',
      );
    out.push('</EntitySet>');
  }
  out.push('<FunctionImport Name="WhoAmI" Function="mscrm.WhoAmI"/>');
  out.push('</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>');
  const doc = out.join('\n');
  cached.set(schema, doc);
  return doc;
}
