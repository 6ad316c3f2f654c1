/**
 * The Microsoft Dynamics 365 for Sales application: seven action kinds (the five record operations,
 * and relating and unrelating records through many-to-many relationships) and four event kinds,
 * instantiated for the six built-in objects and for every table an account discovers.
 */
import { createRecord } from './actions/create-record';
import { deleteRecord } from './actions/delete-record';
import { relateRecords } from './actions/relate-records';
import { retrieveRecords } from './actions/retrieve-records';
import { unrelateRecords } from './actions/unrelate-records';
import { updateRecord } from './actions/update-record';
import { upsertRecord } from './actions/upsert-record';
import { AUTH_METHOD_DESCRIPTIONS } from './auth/connection-methods';
import { BUILT_IN_TABLES } from './built-in-tables';
import { defineConnector, type ActionDefinition, type TriggerDefinition } from './define';
import { CONNECTOR_ID } from './ids';
import { recordChanged } from './triggers/record-changed.poll';
import { recordCreated } from './triggers/record-created.poll';
import { recordDeleted } from './triggers/record-deleted.poll';
import { recordUpdated } from './triggers/record-updated.poll';

export const dynamicsConnector = defineConnector({
  id: CONNECTOR_ID,
  title: 'Microsoft Dynamics 365 for Sales',
  description:
    'Create, retrieve, update and delete accounts, contacts, leads, orders, invoices, products and every other table, and start flows when records change.',
  auth: { methods: AUTH_METHOD_DESCRIPTIONS },
  builtInTables: BUILT_IN_TABLES,
  actions: [
    createRecord,
    retrieveRecords,
    updateRecord,
    upsertRecord,
    deleteRecord,
    relateRecords,
    unrelateRecords,
  ] as unknown as ActionDefinition<never, unknown>[],
  triggers: [recordCreated, recordUpdated, recordChanged, recordDeleted] as unknown as TriggerDefinition<never>[],
});
