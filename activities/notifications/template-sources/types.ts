/** Handlebars sources of one email: the subject and text are rendered unescaped, the HTML escaped. */
export interface TemplateSource {
  subject: string;
  text: string;
  html: string;
}
