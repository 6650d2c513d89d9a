/** Reading the pages' urlencoded forms. */
export type FormBody = Record<string, string | File | (string | File)[]>;

/** The field's text ('' when missing or not text). */
export function formText(form: FormBody, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The number a Quantity field holds, or the text itself when it is not a plain whole number: the
 * API then refuses it (400 validation_failed) and the page shows why, rather than the page deciding
 * the rules a second time.
 */
export function quantityOf(text: string): number | string {
  return /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : text;
}
