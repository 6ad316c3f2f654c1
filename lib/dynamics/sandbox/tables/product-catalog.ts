/**
 * product and the catalog tables it points to: uomschedule (unit group), uom (unit), pricelevel
 * (price list).
 *
 * Learn: https://learn.microsoft.com/dynamics365/sales/developer/entities/product
 */
import { choice, col, date, dec, int, lookup, memo, money, option, str } from './columns';
import { activeInactive, defineTable } from './define-table';

export const product = defineTable({
  logicalName: 'product',
  displayName: 'Product',
  displayCollectionName: 'Products',
  description: 'Information about products and their pricing information.',
  primaryName: 'name',
  primaryNameLength: 100,
  ownership: 'OrganizationOwned',
  objectTypeCode: 1024,
  currency: true,
  defaultState: 2,
  alternateKeys: [{ name: 'ProductNumberKey', displayName: 'Product ID', columns: ['productnumber'] }],
  states: [
    { value: 0, label: 'Active', defaultStatus: 1, invariantName: 'Active' },
    { value: 1, label: 'Retired', defaultStatus: 2, invariantName: 'Retired' },
    { value: 2, label: 'Draft', defaultStatus: 0, invariantName: 'Draft' },
    { value: 3, label: 'Under Revision', defaultStatus: 3, invariantName: 'UnderRevision' },
  ],
  statuses: [
    { value: 0, label: 'Draft', state: 2 },
    { value: 1, label: 'Active', state: 0 },
    { value: 2, label: 'Retired', state: 1 },
    { value: 3, label: 'Under Revision', state: 3 },
  ],
  columns: (t) => [
    str(t, 'productnumber', 'Product ID', 100, 'SystemRequired'),
    choice(t, 'productstructure', 'Product Structure', [option(1, 'Product'), option(2, 'Product Family'), option(3, 'Product Bundle')], {
      required: 'SystemRequired',
      defaultValue: 1,
    }),
    lookup(t, 'defaultuomscheduleid', 'Unit Group', 'uomschedule', 'unit_of_measurement_schedule_products', {
      required: 'ApplicationRequired',
      schemaName: 'DefaultUoMScheduleId',
    }),
    lookup(t, 'defaultuomid', 'Default Unit', 'uom', 'unit_of_measurement_products', {
      required: 'ApplicationRequired',
      schemaName: 'DefaultUoMId',
    }),
    int(t, 'quantitydecimal', 'Decimals Supported', 0, 5, { required: 'ApplicationRequired', defaultValue: 0 }),
    lookup(t, 'pricelevelid', 'Default Price List', 'pricelevel', 'price_level_products', {
      required: 'Recommended',
      schemaName: 'PriceLevelId',
    }),
    money(t, 'price', 'List Price'),
    money(t, 'currentcost', 'Current Cost'),
    money(t, 'standardcost', 'Standard Cost'),
    choice(t, 'producttypecode', 'Product Type', [
      option(1, 'Sales Inventory'),
      option(2, 'Miscellaneous Charges'),
      option(3, 'Services'),
      option(4, 'Flat Fees'),
    ]),
    memo(t, 'description', 'Description', 2000),
    dec(t, 'quantityonhand', 'Quantity On Hand', 2, { minValue: -1000000000, maxValue: 1000000000 }),
    dec(t, 'stockweight', 'Stock Weight', 2, { minValue: 0, maxValue: 1000000000 }),
    date(t, 'validfromdate', 'Valid From', true),
    date(t, 'validtodate', 'Valid To', true),
    lookup(t, 'parentproductid', 'Parent', 'product', 'product_parent_product', { schemaName: 'ParentProductId' }),
    str(t, 'vendorname', 'Vendor', 100),
    str(t, 'vendorpartnumber', 'Vendor Part Number', 100),
    str(t, 'size', 'Size', 200),
    str(t, 'producturl', 'URL', 255),
  ],
});

export const uomschedule = defineTable({
  logicalName: 'uomschedule',
  schemaName: 'UoMSchedule',
  displayName: 'Unit Group',
  displayCollectionName: 'Unit Groups',
  description: 'Grouping of units.',
  primaryName: 'name',
  primaryNameLength: 200,
  ownership: 'OrganizationOwned',
  objectTypeCode: 1056,
  ...activeInactive,
  columns: (t) => [str(t, 'baseuomname', 'Primary Unit', 100, 'ApplicationRequired'), memo(t, 'description', 'Description', 2000)],
});

export const uom = defineTable({
  logicalName: 'uom',
  schemaName: 'UoM',
  displayName: 'Unit',
  displayCollectionName: 'Units',
  description: 'Unit of measure.',
  primaryName: 'name',
  primaryNameLength: 100,
  ownership: 'OrganizationOwned',
  objectTypeCode: 1055,
  ...activeInactive,
  columns: (t) => [
    lookup(t, 'uomscheduleid', 'Unit Schedule', 'uomschedule', 'UoMSchedule_UoM', {
      required: 'SystemRequired',
      schemaName: 'UoMScheduleId',
    }),
    dec(t, 'quantity', 'Quantity', 5, { required: 'ApplicationRequired', minValue: 0, maxValue: 1000000000 }),
    lookup(t, 'baseuom', 'Base Unit', 'uom', 'unit_of_measurement_base_unit', { schemaName: 'BaseUoM' }),
    col(t, 'isschedulebaseuom', 'boolean', 'Is Schedule Base Unit', {
      booleanLabels: ['No', 'Yes'],
      validForCreate: false,
      validForUpdate: false,
      defaultValue: false,
    }),
  ],
});

export const pricelevel = defineTable({
  logicalName: 'pricelevel',
  displayName: 'Price List',
  displayCollectionName: 'Price Lists',
  description: 'Entity that defines pricing levels.',
  primaryName: 'name',
  primaryNameLength: 100,
  ownership: 'OrganizationOwned',
  objectTypeCode: 1022,
  currency: true,
  ...activeInactive,
  columns: (t) => [
    memo(t, 'description', 'Description', 2000),
    date(t, 'begindate', 'Start Date', true),
    date(t, 'enddate', 'End Date', true),
  ],
});
