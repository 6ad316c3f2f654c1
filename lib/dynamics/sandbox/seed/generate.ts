/**
 * Deterministic seed data (at least 50 accounts, 200 contacts, 40 leads, 20 products with price
 * list, units and unit group, 15 orders, 15 invoices, users, a business unit and a currency), with
 * every lookup resolving. Generated once per process and deep-cloned for each fresh organization,
 * so a new in-memory org costs milliseconds.
 */
import { buildNewRow, type Actor } from '../model/rows';
import { getSchema } from '../model/schema';
import type { SerializedOrg } from '../store';
import type { LookupValue, Row } from '../tables/types';
import { toDataverseDate, toDateOnly } from '../util/dates';
import { guidFrom } from '../util/guid';
import { mulberry32, pick } from '../util/prng';
import { APP_USER, SALES_USER, SANDBOX_BUSINESS_UNIT_ID, SANDBOX_CURRENCY_ID, SANDBOX_EUR_CURRENCY_ID } from './constants';
import { cities, companyStems, companySuffixes, firstNames, jobTitles, lastNames, productNames, projectNames, streets } from './names';

const SEED_BASE = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;

const ref = (table: string, id: string): LookupValue => ({ id, table });

export function generateSeed(): SerializedOrg {
  const schema = getSchema();
  const rnd = mulberry32(20250106);
  const id = (): string => guidFrom(rnd);
  let version = 1_000_000;
  let clock = SEED_BASE;
  const tables: SerializedOrg['tables'] = {};
  for (const name of schema.tables.keys()) tables[name] = { rows: [], deleted: [] };
  const actor: Actor = { userId: SALES_USER.systemuserid, businessUnitId: SANDBOX_BUSINESS_UNIT_ID, currencyId: SANDBOX_CURRENCY_ID };

  const add = (table: string, rowId: string, values: Row, who: Actor = actor): Row => {
    const info = schema.tables.get(table);
    if (!info) throw new Error(table);
    clock += Math.floor(HOUR * (0.5 + rnd() * 6));
    version += 1;
    const row = buildNewRow(info, rowId, values, who, version, clock);
    tables[table]?.rows.push(row);
    return row;
  };

  // Organization structure -------------------------------------------------------------------
  add('businessunit', SANDBOX_BUSINESS_UNIT_ID, { name: 'sandbox', websiteurl: 'http://sandbox.local' });
  add('transactioncurrency', SANDBOX_CURRENCY_ID, {
    currencyname: 'US Dollar',
    isocurrencycode: 'USD',
    currencysymbol: '$',
    exchangerate: 1,
    currencyprecision: 2,
  });
  add('transactioncurrency', SANDBOX_EUR_CURRENCY_ID, {
    currencyname: 'Euro',
    isocurrencycode: 'EUR',
    currencysymbol: '€',
    exchangerate: 0.92,
    currencyprecision: 2,
  });
  const bu = ref('businessunit', SANDBOX_BUSINESS_UNIT_ID);
  add('systemuser', SALES_USER.systemuserid, {
    firstname: SALES_USER.firstname,
    lastname: SALES_USER.lastname,
    domainname: SALES_USER.username,
    internalemailaddress: SALES_USER.username,
    title: 'Sales Manager',
    azureactivedirectoryobjectid: SALES_USER.objectId,
    businessunitid: bu,
    accessmode: 0,
  });
  add('systemuser', APP_USER.systemuserid, {
    firstname: APP_USER.firstname,
    lastname: APP_USER.lastname,
    domainname: 'sandbox-client@sandbox.local',
    azureactivedirectoryobjectid: APP_USER.objectId,
    applicationid_text: 'sandbox-client',
    businessunitid: bu,
    accessmode: 4,
  });
  const userIds: string[] = [SALES_USER.systemuserid];
  for (const [first, last, title] of [
    ['Adele', 'Vance', 'Account Manager'],
    ['Megan', 'Bowen', 'Sales Representative'],
    ['Nestor', 'Wilke', 'Sales Representative'],
    ['Diego', 'Siciliani', 'Director'],
  ] as const) {
    const uid = id();
    userIds.push(uid);
    add('systemuser', uid, {
      firstname: first,
      lastname: last,
      domainname: `${first.toLowerCase()}@sandbox.local`,
      internalemailaddress: `${first.toLowerCase()}@sandbox.local`,
      title,
      azureactivedirectoryobjectid: id(),
      businessunitid: bu,
      accessmode: 0,
    });
  }
  const owner = (): LookupValue => ref('systemuser', pick(rnd, userIds));

  // Catalog ------------------------------------------------------------------------------------
  const defaultGroup = id();
  add('uomschedule', defaultGroup, { name: 'Default Unit', baseuomname: 'Primary Unit', description: 'Default unit group' });
  const primaryUnit = id();
  add('uom', primaryUnit, { name: 'Primary Unit', uomscheduleid: ref('uomschedule', defaultGroup), quantity: 1, isschedulebaseuom: true });
  const packGroup = id();
  add('uomschedule', packGroup, { name: 'Packaging', baseuomname: 'Each', description: 'Items, boxes and cases' });
  const each = id();
  add('uom', each, { name: 'Each', uomscheduleid: ref('uomschedule', packGroup), quantity: 1, isschedulebaseuom: true });
  add('uom', id(), { name: 'Box', uomscheduleid: ref('uomschedule', packGroup), quantity: 12, baseuom: ref('uom', each) });
  add('uom', id(), { name: 'Case', uomscheduleid: ref('uomschedule', packGroup), quantity: 48, baseuom: ref('uom', each) });
  const priceList = id();
  add('pricelevel', priceList, {
    name: 'Default Price List',
    description: 'Standard prices (USD)',
    begindate: '2025-01-01',
    enddate: '2026-12-31',
    transactioncurrencyid: ref('transactioncurrency', SANDBOX_CURRENCY_ID),
  });
  const products: Array<{ id: string; name: string; price: number }> = [];
  productNames.forEach((name, i) => {
    const pid = id();
    const price = Math.round((20 + rnd() * 2000) * 100) / 100;
    const service = /Service|Plan|Training|Audit|Backup/.test(name);
    const packaged = /Paper|Toner/.test(name);
    add('product', pid, {
      name,
      productnumber: `PRD-${String(1001 + i)}`,
      productstructure: 1,
      defaultuomscheduleid: ref('uomschedule', packaged ? packGroup : defaultGroup),
      defaultuomid: ref('uom', packaged ? each : primaryUnit),
      quantitydecimal: service ? 2 : 0,
      pricelevelid: ref('pricelevel', priceList),
      price,
      currentcost: Math.round(price * 0.6 * 100) / 100,
      standardcost: Math.round(price * 0.55 * 100) / 100,
      producttypecode: service ? 3 : 1,
      description: `${name} — sandbox catalog item.`,
      quantityonhand: Math.floor(rnd() * 500),
      vendorname: pick(rnd, ['Contoso', 'Fabrikam', 'Litware']),
      statecode: 0,
      statuscode: 1,
    });
    products.push({ id: pid, name, price });
  });

  // Accounts and contacts ------------------------------------------------------------------------
  const accounts: Array<{ id: string; name: string }> = [];
  for (let i = 0; i < 60; i++) {
    const stem = companyStems[i % companyStems.length] ?? 'Contoso';
    const name =
      i < companyStems.length ? `${stem} ${pick(rnd, companySuffixes)}` : `${stem} ${['East', 'West', 'North', 'South'][i % 4]} (sample)`;
    const [city, state, zip, country] = pick(rnd, cities);
    const aid = id();
    accounts.push({ id: aid, name });
    add('account', aid, {
      name,
      accountnumber: `ACC-${String(1001 + i)}`,
      telephone1: `+1 425 555 ${String(1000 + i).slice(-4)}`,
      emailaddress1: `info@${stem.toLowerCase().replace(/[^a-z]+/g, '')}${i}.example.com`,
      websiteurl: `https://www.${stem.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`,
      address1_line1: `${1 + Math.floor(rnd() * 9000)} ${pick(rnd, streets)}`,
      address1_city: city,
      address1_stateorprovince: state || null,
      address1_postalcode: zip,
      address1_country: country,
      revenue: Math.round(rnd() * 50_000_000) * 1,
      numberofemployees: 5 + Math.floor(rnd() * 5000),
      creditonhold: rnd() < 0.1,
      accountcategorycode: rnd() < 0.3 ? 1 : 2,
      customertypecode: pick(rnd, [3, 3, 3, 5, 8, 9]),
      industrycode: 1 + Math.floor(rnd() * 12),
      ownerid: owner(),
      new_region: pick(rnd, ['NA West', 'NA East', 'EMEA', 'APAC']),
      parentaccountid: i >= 50 ? ref('account', accounts[i - 50]?.id ?? aid) : null,
      ...(i % 9 === 8 ? { statecode: 1, statuscode: 2 } : {}),
    });
  }
  const contactIds: string[] = [];
  for (let i = 0; i < 200; i++) {
    const first = pick(rnd, firstNames);
    const last = pick(rnd, lastNames);
    const acc = accounts[i % accounts.length];
    const cid = id();
    contactIds.push(cid);
    const [city, state, zip, country] = pick(rnd, cities);
    add('contact', cid, {
      firstname: first,
      lastname: last,
      emailaddress1: `${first}.${last}${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      telephone1: `+1 206 555 ${String(2000 + i).slice(-4)}`,
      mobilephone: rnd() < 0.5 ? `+1 206 555 ${String(5000 + i).slice(-4)}` : null,
      jobtitle: pick(rnd, jobTitles),
      address1_city: city,
      address1_stateorprovince: state || null,
      address1_postalcode: zip,
      address1_country: country,
      parentcustomerid: acc ? ref('account', acc.id) : null,
      birthdate: toDateOnly(Date.UTC(1960 + Math.floor(rnd() * 40), Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28))),
      gendercode: rnd() < 0.5 ? 1 : 2,
      new_preferredchannel: pick(rnd, [100000000, 100000001, 100000002, null]),
      new_loyaltypoints: Math.floor(rnd() * 5000),
      ownerid: owner(),
      ...(i % 25 === 24 ? { statecode: 1, statuscode: 2 } : {}),
    });
  }
  // Primary contacts: each account's first contact (now that contacts exist).
  const accountRows = tables.account?.rows ?? [];
  accountRows.forEach((row, i) => {
    const cid = contactIds[i];
    if (cid) row.primarycontactid = ref('contact', cid);
  });

  // Leads and opportunities ----------------------------------------------------------------------
  for (let i = 0; i < 40; i++) {
    const first = pick(rnd, firstNames);
    const last = pick(rnd, lastNames);
    const stem = pick(rnd, companyStems);
    const status =
      i % 10 === 9
        ? { statecode: 2, statuscode: 4 }
        : i % 10 === 8
          ? { statecode: 1, statuscode: 3 }
          : { statecode: 0, statuscode: i % 3 === 0 ? 2 : 1 };
    add('lead', id(), {
      subject: `${pick(rnd, ['Interested in', 'Quote for', 'Follow up on', 'Demo of'])} ${pick(rnd, productNames)}`,
      firstname: first,
      lastname: last,
      companyname: stem,
      emailaddress1: `${first}.${last}.lead${i}@example.org`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      telephone1: `+1 312 555 ${String(3000 + i).slice(-4)}`,
      jobtitle: pick(rnd, jobTitles),
      revenue: Math.round(rnd() * 5_000_000),
      leadsourcecode: 1 + Math.floor(rnd() * 10),
      leadqualitycode: 1 + Math.floor(rnd() * 3),
      ownerid: owner(),
      ...status,
    });
  }
  const opportunities: string[] = [];
  for (let i = 0; i < 20; i++) {
    const acc = accounts[(i * 3) % accounts.length];
    if (!acc) continue;
    const oid = id();
    opportunities.push(oid);
    add('opportunity', oid, {
      name: `${pick(rnd, productNames)} for ${acc.name}`,
      customerid: ref('account', acc.id),
      parentaccountid: ref('account', acc.id),
      pricelevelid: ref('pricelevel', priceList),
      estimatedvalue: Math.round(rnd() * 200_000),
      closeprobability: 10 * (1 + Math.floor(rnd() * 9)),
      estimatedclosedate: toDateOnly(SEED_BASE + (30 + i * 7) * 24 * HOUR),
      ownerid: owner(),
    });
  }

  // Orders and invoices -------------------------------------------------------------------------
  const orders: Array<{ id: string; customer: LookupValue; name: string; total: number; number: string }> = [];
  for (let i = 0; i < 15; i++) {
    const acc = accounts[(i * 4 + 1) % accounts.length];
    if (!acc) continue;
    const prod = pick(rnd, products);
    const qty = 1 + Math.floor(rnd() * 20);
    const total = Math.round(prod.price * qty * 100) / 100;
    const oid = id();
    const number = `ORD-${String(1001 + i).padStart(5, '0')}-${guidFrom(rnd).slice(0, 6).toUpperCase()}`;
    const customer = ref('account', acc.id);
    const state =
      i < 10 ? { statecode: 0, statuscode: 1 } : i < 13 ? { statecode: 4, statuscode: 100003 } : { statecode: 3, statuscode: 100001 };
    orders.push({ id: oid, customer, name: `${qty} × ${prod.name}`, total, number });
    add('salesorder', oid, {
      name: `${qty} × ${prod.name}`,
      ordernumber: number,
      customerid: customer,
      pricelevelid: ref('pricelevel', priceList),
      opportunityid: i < opportunities.length && i % 2 === 0 ? ref('opportunity', opportunities[i] ?? '') : null,
      totalamount: total,
      totallineitemamount: total,
      totaltax: 0,
      totaldiscountamount: 0,
      freightamount: 0,
      paymenttermscode: 1 + Math.floor(rnd() * 4),
      shippingmethodcode: 1 + Math.floor(rnd() * 7),
      requestdeliveryby: toDateOnly(SEED_BASE + (14 + i * 5) * 24 * HOUR),
      billto_city: pick(rnd, cities)[0],
      ownerid: owner(),
      ...state,
    });
  }
  orders.forEach((o, i) => {
    const paid = i >= 10;
    add('invoice', id(), {
      name: `Invoice for ${o.name}`,
      invoicenumber: `INV-${String(1001 + i).padStart(5, '0')}-${guidFrom(rnd).slice(0, 6).toUpperCase()}`,
      customerid: o.customer,
      pricelevelid: ref('pricelevel', priceList),
      salesorderid: ref('salesorder', o.id),
      totalamount: o.total,
      totallineitemamount: o.total,
      totaltax: 0,
      totaldiscountamount: 0,
      duedate: toDateOnly(SEED_BASE + (45 + i * 5) * 24 * HOUR),
      paymenttermscode: 1,
      ispricelocked: true,
      ownerid: owner(),
      ...(paid ? { statecode: 2, statuscode: 100001 } : { statecode: 0, statuscode: 1 }),
    });
  });

  // Custom table ---------------------------------------------------------------------------------
  projectNames.forEach((name, i) => {
    const acc = accounts[(i * 5) % accounts.length];
    add('new_project', id(), {
      new_name: `${name} — ${acc?.name ?? 'internal'}`,
      new_code: `PRJ-${String(101 + i)}`,
      new_accountid: acc ? ref('account', acc.id) : null,
      new_budget: 10_000 + Math.round(rnd() * 190_000),
      new_startdate: toDateOnly(SEED_BASE + i * 10 * 24 * HOUR),
      new_duedate: toDataverseDate(SEED_BASE + (90 + i * 10) * 24 * HOUR),
      new_stage: pick(rnd, [100000000, 100000001, 100000002, 100000003]),
      new_highpriority: rnd() < 0.3,
      new_hours: 40 + Math.floor(rnd() * 800),
      new_completion: Math.round(rnd() * 100),
      ownerid: owner(),
    });
  });

  return { format: 1, version, tables };
}

let cachedJson: string | null = null;

/** A fresh deep copy of the seed organization. */
export function freshSeed(): SerializedOrg {
  if (!cachedJson) cachedJson = JSON.stringify(generateSeed());
  return JSON.parse(cachedJson) as SerializedOrg;
}
