import type { CredentialField } from '../../core/adapter/manifest';
import { escapeHtml, page } from './html';

export interface ConnectFormView {
  /** The adapter's display name ("Echo"). */
  channelName: string;
  description?: string;
  fields: CredentialField[];
  /** Where the form posts (`/connect/<adapter>`). */
  action: string;
  /** The sealed flow state (ConnectFormTokens). */
  formToken: string;
  /** Values to show again; secret fields are never filled in. */
  values?: Record<string, string>;
  /** Per-field problems, keyed by CredentialField.key. */
  fieldErrors?: Record<string, string>;
  /** A problem with the whole submission (platform or HubSpot refused). */
  error?: string;
}

function fieldId(field: CredentialField): string {
  return `field-${field.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function renderField(field: CredentialField, view: ConnectFormView): string {
  const id = fieldId(field);
  const error = view.fieldErrors?.[field.key];
  const describedBy = [field.help ? `${id}-help` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const value = field.secret ? '' : (view.values?.[field.key] ?? '');
  const attributes = [
    `id="${id}"`,
    `name="${escapeHtml(field.key)}"`,
    `type="${field.secret ? 'password' : 'text'}"`,
    field.secret ? 'autocomplete="off"' : 'autocomplete="on"',
    'spellcheck="false"',
    'autocapitalize="off"',
    field.required ? 'required aria-required="true"' : '',
    field.pattern !== undefined ? `pattern="${escapeHtml(field.pattern)}"` : '',
    field.placeholder !== undefined ? `placeholder="${escapeHtml(field.placeholder)}"` : '',
    describedBy ? `aria-describedby="${describedBy}"` : '',
    error ? 'aria-invalid="true"' : '',
    value ? `value="${escapeHtml(value)}"` : '',
  ].filter(Boolean);
  const marker = field.required ? '' : ' <span class="optional">(optional)</span>';
  return [
    '<div class="field">',
    `<label for="${id}">${escapeHtml(field.label)}${marker}</label>`,
    `<input ${attributes.join(' ')}>`,
    field.help ? `<p class="help" id="${id}-help">${escapeHtml(field.help)}</p>` : '',
    error ? `<p class="field-error" id="${id}-error">${escapeHtml(error)}</p>` : '',
    '</div>',
  ]
    .filter(Boolean)
    .join('\n');
}

function renderErrorSummary(view: ConnectFormView): string {
  const items: string[] = [];
  if (view.error) items.push(`<li>${escapeHtml(view.error)}</li>`);
  for (const field of view.fields) {
    const error = view.fieldErrors?.[field.key];
    if (error) {
      items.push(
        `<li><a href="#${fieldId(field)}">${escapeHtml(field.label)}: ${escapeHtml(error)}</a></li>`,
      );
    }
  }
  if (items.length === 0) return '';
  // autofocus on a tabindex=-1 box moves focus (and screen readers) to it without JavaScript.
  return [
    '<div class="errors" id="error-summary" role="alert" tabindex="-1" autofocus',
    ' aria-labelledby="error-summary-title">',
    '<h2 id="error-summary-title">The account could not be connected</h2>',
    `<ul>${items.join('')}</ul>`,
    '</div>',
  ].join('');
}

/** The credential form of the connection popup; every dynamic value is HTML-escaped. */
export function renderConnectForm(view: ConnectFormView): string {
  const title = `Connect ${view.channelName} to HubSpot`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    view.description ? `<p>${escapeHtml(view.description)}</p>` : '',
    renderErrorSummary(view),
    `<form method="post" action="${escapeHtml(view.action)}">`,
    `<input type="hidden" name="form" value="${escapeHtml(view.formToken)}">`,
    ...view.fields.map((field) => renderField(field, view)),
    '<button type="submit">Connect</button>',
    '</form>',
  ]
    .filter(Boolean)
    .join('\n');
  return page(view.error || view.fieldErrors ? `Error: ${title}` : title, body);
}

/** A page for requests the popup cannot serve (unknown adapter, bad or expired link). */
export function renderErrorPage(title: string, message: string): string {
  return page(
    title,
    [
      `<h1>${escapeHtml(title)}</h1>`,
      `<div class="errors" role="alert"><p>${escapeHtml(message)}</p></div>`,
      '<p>Close this window and start the connection again from HubSpot.</p>',
    ].join('\n'),
  );
}
