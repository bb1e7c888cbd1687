/** HubSpot rich text: agents' replies for adapters, customers' formatted messages for HubSpot. */
export { renderAgentText } from './render-agent-text';
export { sanitizeCustomerHtml } from './sanitize-customer-html';
