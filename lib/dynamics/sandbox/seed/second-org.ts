/**
 * Seed data of the second organization: a business unit, a currency, its users, a few accounts,
 * contacts, leads (with the custom lead score and its own lead sources), projects and their
 * milestones. Small and deterministic; deep-cloned for each fresh organization.
 */
import { buildNewRow, type Actor } from '../model/rows';
import type { Schema } from '../model/schema';
import type { SerializedOrg } from '../store';
import type { LookupValue, Row } from '../tables/types';
import { toDateOnly } from '../util/dates';
import { guidFrom } from '../util/guid';
import { mulberry32 } from '../util/prng';
import { ORG2_APP_USER, ORG2_BUSINESS_UNIT_ID, ORG2_CLIENT, ORG2_CURRENCY_ID, ORG2_SALES_USER } from './second-org-constants';

const SEED_BASE = Date.UTC(2025, 2, 3, 9, 0, 0);
const DAY = 86_400_000;
const ref = (table: string, id: string): LookupValue => ({ id, table });

export const ORG2_ACCOUNTS = ['Northwind Traders', 'Tailspin Toys', 'Wingtip Solutions'] as const;

export const ORG2_LEADS = [
  { firstname: 'Ines', lastname: 'Moreau', companyname: 'Alpine Ski House', leadsourcecode: 100000000, new_leadscore: 82 },
  { firstname: 'Tomas', lastname: 'Berg', companyname: 'Blue Yonder Airlines', leadsourcecode: 100000001, new_leadscore: 55 },
  { firstname: 'Priya', lastname: 'Raman', companyname: 'Coho Winery', leadsourcecode: 100000002, new_leadscore: 67 },
  { firstname: 'Jonas', lastname: 'Keller', companyname: 'Lucerne Publishing', leadsourcecode: 1, new_leadscore: 30 },
  { firstname: 'Amara', lastname: 'Okafor', companyname: 'Margie’s Travel', leadsourcecode: 4, new_leadscore: 91 },
] as const;

export const ORG2_PROJECTS = [
  { code: 'P2-100', name: 'Warehouse automation' },
  { code: 'P2-101', name: 'Loyalty programme' },
  { code: 'P2-102', name: 'Field service app' },
] as const;

export function generateSecondOrgSeed(schema: Schema): SerializedOrg {
  const rnd = mulberry32(20250303);
  const id = (): string => guidFrom(rnd);
  let version = 2_000_000;
  let clock = SEED_BASE;
  const tables: SerializedOrg['tables'] = {};
  for (const name of schema.tables.keys()) tables[name] = { rows: [], deleted: [] };
  const actor: Actor = { userId: ORG2_SALES_USER.systemuserid, businessUnitId: ORG2_BUSINESS_UNIT_ID, currencyId: ORG2_CURRENCY_ID };
  const add = (table: string, rowId: string, values: Row): Row => {
    const info = schema.tables.get(table);
    if (!info) throw new Error(table);
    clock += 3 * 3_600_000;
    version += 1;
    const row = buildNewRow(info, rowId, values, actor, version, clock);
    tables[table]?.rows.push(row);
    return row;
  };

  add('businessunit', ORG2_BUSINESS_UNIT_ID, { name: 'sandbox-org2', websiteurl: 'http://org2.sandbox.local' });
  add('transactioncurrency', ORG2_CURRENCY_ID, {
    currencyname: 'US Dollar',
    isocurrencycode: 'USD',
    currencysymbol: '$',
    exchangerate: 1,
    currencyprecision: 2,
  });
  const bu = ref('businessunit', ORG2_BUSINESS_UNIT_ID);
  add('systemuser', ORG2_SALES_USER.systemuserid, {
    firstname: ORG2_SALES_USER.firstname,
    lastname: ORG2_SALES_USER.lastname,
    domainname: ORG2_SALES_USER.username,
    internalemailaddress: ORG2_SALES_USER.username,
    title: 'Sales Manager',
    azureactivedirectoryobjectid: ORG2_SALES_USER.objectId,
    businessunitid: bu,
    accessmode: 0,
  });
  add('systemuser', ORG2_APP_USER.systemuserid, {
    firstname: ORG2_APP_USER.firstname,
    lastname: ORG2_APP_USER.lastname,
    domainname: `${ORG2_CLIENT.clientId}@org2.sandbox.local`,
    azureactivedirectoryobjectid: ORG2_APP_USER.objectId,
    applicationid_text: ORG2_CLIENT.clientId,
    businessunitid: bu,
    accessmode: 4,
  });
  const owner = ref('systemuser', ORG2_SALES_USER.systemuserid);

  const accounts = ORG2_ACCOUNTS.map((name, i) => {
    const aid = id();
    add('account', aid, { name, accountnumber: `ORG2-${String(201 + i)}`, address1_city: 'Oslo', ownerid: owner });
    return aid;
  });
  ['Lena Dahl', 'Mats Lund', 'Sofia Nilsen', 'Erik Holm', 'Nora Berg', 'Ola Strand'].forEach((full, i) => {
    const [firstname, lastname] = full.split(' ');
    add('contact', id(), {
      firstname,
      lastname,
      emailaddress1: `${full.toLowerCase().replace(' ', '.')}@org2.example.com`,
      parentcustomerid: ref('account', accounts[i % accounts.length] ?? ''),
      ownerid: owner,
    });
  });
  ORG2_LEADS.forEach((l, i) => {
    add('lead', id(), { ...l, subject: `Enquiry from ${l.companyname}`, emailaddress1: `lead${i}@org2.example.org`, ownerid: owner });
  });
  ORG2_PROJECTS.forEach((p, i) => {
    const pid = id();
    add('new_project', pid, {
      new_name: p.name,
      new_code: p.code,
      new_accountid: ref('account', accounts[i % accounts.length] ?? ''),
      new_startdate: toDateOnly(SEED_BASE + i * 14 * DAY),
      new_stage: 100000001,
      ownerid: owner,
    });
    ['Kick-off', 'Go-live'].forEach((step, j) => {
      add('new_milestone', id(), {
        new_name: `${p.name}: ${step}`,
        new_code: `${p.code}-M${j + 1}`,
        new_projectid: ref('new_project', pid),
        new_duedate: toDateOnly(SEED_BASE + (i * 14 + j * 60) * DAY),
        new_weight: j === 0 ? 3 : 8,
        new_milestonestatus: j === 0 ? 100000001 : 100000000,
        new_billable: j === 1,
        ownerid: owner,
      });
    });
  });
  return { format: 1, version, tables };
}
