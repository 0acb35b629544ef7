/** Repository of the `jwt_templates` table; `db` may be a transaction. */
import type { JwtTemplateRow } from './schema.js';
import type { Db } from './types.js';

export async function insertTemplate(db: Db, row: JwtTemplateRow): Promise<void> {
  await db.insertInto('jwt_templates').values(row).execute();
}

export async function templateByName(db: Db, name: string): Promise<JwtTemplateRow | undefined> {
  return db.selectFrom('jwt_templates').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listTemplates(db: Db): Promise<JwtTemplateRow[]> {
  return db.selectFrom('jwt_templates').selectAll().orderBy('name').execute();
}

/** Applies `changes` to the template `name`; false if there is none. */
export async function updateTemplate(db: Db, name: string, changes: Partial<Omit<JwtTemplateRow, 'id' | 'created_at'>>): Promise<boolean> {
  const r = await db.updateTable('jwt_templates').set(changes).where('name', '=', name).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteTemplate(db: Db, name: string): Promise<boolean> {
  const r = await db.deleteFrom('jwt_templates').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
