/** The update kinds the adapter subscribes to (setWebhook / getUpdates allowed_updates). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'my_chat_member'] as const;
