/**
 * salesorder and invoice: auto-numbered, statecode not valid for create.
 *
 * Learn: https://learn.microsoft.com/dynamics365/sales/developer/entities/salesorder
 *        https://learn.microsoft.com/dynamics365/sales/developer/entities/invoice
 */
import { bool, choice, customer, date, dec, lookup, memo, money, option, str } from './columns';
import { defineTable } from './define-table';
import type { ColumnDef } from './types';

const paymentTerms = (t: string): ColumnDef =>
  choice(
    t,
    'paymenttermscode',
    'Payment Terms',
    [option(1, 'Net 30'), option(2, '2% 10, Net 30'), option(3, 'Net 45'), option(4, 'Net 60')],
    { optionSetName: 'paymentterms', globalOptionSet: true },
  );
const shippingMethod = (t: string): ColumnDef =>
  choice(
    t,
    'shippingmethodcode',
    'Shipping Method',
    [
      option(1, 'Airborne'),
      option(2, 'DHL'),
      option(3, 'FedEx'),
      option(4, 'UPS'),
      option(5, 'Postal Mail'),
      option(6, 'Full Load'),
      option(7, 'Will Call'),
    ],
    { optionSetName: 'shippingmethodcode', globalOptionSet: true },
  );
const totals = (t: string): ColumnDef[] => [
  money(t, 'totalamount', 'Total Amount', { validForCreate: false, validForUpdate: false }),
  money(t, 'totallineitemamount', 'Total Detail Amount', { validForCreate: false, validForUpdate: false }),
  money(t, 'totaltax', 'Total Tax', { validForCreate: false, validForUpdate: false }),
  money(t, 'totaldiscountamount', 'Total Discount Amount', { validForCreate: false, validForUpdate: false }),
  money(t, 'discountamount', 'Order Discount Amount'),
  money(t, 'freightamount', 'Freight Amount'),
  dec(t, 'discountpercentage', 'Order Discount (%)', 2, { minValue: 0, maxValue: 100 }),
];

export const salesorder = defineTable({
  logicalName: 'salesorder',
  displayName: 'Order',
  displayCollectionName: 'Orders',
  description: 'Quote that has been accepted.',
  primaryName: 'name',
  primaryNameLength: 300,
  ownership: 'UserOwned',
  objectTypeCode: 1088,
  currency: true,
  stateValidForCreate: false,
  alternateKeys: [{ name: 'OrderNumberKey', displayName: 'Order ID', columns: ['ordernumber'] }],
  states: [
    { value: 0, label: 'Active', defaultStatus: 1, invariantName: 'Active' },
    { value: 1, label: 'Submitted', defaultStatus: 3, invariantName: 'Submitted' },
    { value: 2, label: 'Canceled', defaultStatus: 4, invariantName: 'Canceled' },
    { value: 3, label: 'Fulfilled', defaultStatus: 100001, invariantName: 'Fulfilled' },
    { value: 4, label: 'Invoiced', defaultStatus: 100003, invariantName: 'Invoiced' },
  ],
  statuses: [
    { value: 1, label: 'New', state: 0 },
    { value: 2, label: 'Pending', state: 0 },
    { value: 3, label: 'In Progress', state: 1 },
    { value: 4, label: 'No Money', state: 2 },
    { value: 100001, label: 'Complete', state: 3 },
    { value: 100002, label: 'Partial', state: 3 },
    { value: 100003, label: 'Invoiced', state: 4 },
  ],
  columns: (t) => [
    str(t, 'ordernumber', 'Order ID', 100, 'SystemRequired'),
    customer(t, 'customerid', 'Customer', 'order_customer', { required: 'ApplicationRequired', schemaName: 'CustomerId' }),
    lookup(t, 'pricelevelid', 'Price List', 'pricelevel', 'order_price_level', {
      required: 'ApplicationRequired',
      schemaName: 'PriceLevelId',
    }),
    lookup(t, 'opportunityid', 'Opportunity', 'opportunity', 'opportunity_sales_orders', { schemaName: 'OpportunityId' }),
    memo(t, 'description', 'Description', 2000),
    ...totals(t),
    date(t, 'datefulfilled', 'Date Fulfilled', true),
    date(t, 'requestdeliveryby', 'Requested Delivery Date', true),
    date(t, 'submitdate', 'Date Submitted', true),
    paymentTerms(t),
    shippingMethod(t),
    str(t, 'billto_city', 'Bill To City', 80),
    str(t, 'shipto_city', 'Ship To City', 80),
  ],
});

export const invoice = defineTable({
  logicalName: 'invoice',
  displayName: 'Invoice',
  displayCollectionName: 'Invoices',
  description: 'Order that has been billed.',
  primaryName: 'name',
  primaryNameLength: 300,
  ownership: 'UserOwned',
  objectTypeCode: 1090,
  currency: true,
  stateValidForCreate: false,
  alternateKeys: [{ name: 'InvoiceNumberKey', displayName: 'Invoice ID', columns: ['invoicenumber'] }],
  states: [
    { value: 0, label: 'Active', defaultStatus: 1, invariantName: 'Active' },
    { value: 1, label: 'Closed (deprecated)', defaultStatus: 100003, invariantName: 'Closed' },
    { value: 2, label: 'Paid', defaultStatus: 100001, invariantName: 'Paid' },
    { value: 3, label: 'Canceled', defaultStatus: 100003, invariantName: 'Canceled' },
  ],
  statuses: [
    { value: 1, label: 'New', state: 0 },
    { value: 2, label: 'Partially Shipped', state: 0 },
    { value: 4, label: 'Billed', state: 0 },
    { value: 5, label: 'Booked (applies to services)', state: 0 },
    { value: 6, label: 'Installed (applies to services)', state: 0 },
    { value: 3, label: 'Canceled (deprecated)', state: 1 },
    { value: 7, label: 'Paid in Full (deprecated)', state: 1 },
    { value: 100001, label: 'Complete', state: 2 },
    { value: 100002, label: 'Partial', state: 2 },
    { value: 100003, label: 'Canceled', state: 3 },
  ],
  columns: (t) => [
    str(t, 'invoicenumber', 'Invoice ID', 100, 'SystemRequired', { validForUpdate: false }),
    customer(t, 'customerid', 'Customer', 'invoice_customer', { required: 'ApplicationRequired', schemaName: 'CustomerId' }),
    lookup(t, 'pricelevelid', 'Price List', 'pricelevel', 'price_level_invoices', {
      required: 'ApplicationRequired',
      schemaName: 'PriceLevelId',
    }),
    lookup(t, 'salesorderid', 'Order', 'salesorder', 'order_invoices', { schemaName: 'SalesOrderId' }),
    lookup(t, 'opportunityid', 'Opportunity', 'opportunity', 'opportunity_invoices', { schemaName: 'OpportunityId' }),
    memo(t, 'description', 'Description', 2000),
    ...totals(t),
    date(t, 'duedate', 'Due Date', true),
    date(t, 'datedelivered', 'Date Delivered', true),
    bool(t, 'ispricelocked', 'Prices Locked', ['No', 'Yes'], { required: 'ApplicationRequired', validForCreate: false }),
    paymentTerms(t),
    shippingMethod(t),
  ],
});
