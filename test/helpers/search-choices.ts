// The refusals of an unknown search field, operator or sort name list the valid choices
// (issue 16; docs/compatibility.md, Search). Written out here, not read from the catalogues,
// so a catalogue change that alters what clients are told fails a test.
const CHOICE = 'The value you selected is not a valid choice.';

export const CHAT_FIELD_CHOICE =
  `${CHOICE} Valid fields: chats.assignee, chats.agents, chats.createdAt, chats.updatedAt, chats.closedAt, chats.department, ` +
  'chats.status, chats.rating, chats.customer, chats.customer.email, chats.customer.userId, chats.customer.tagsData';
export const CUSTOMER_FIELD_CHOICE =
  `${CHOICE} Valid fields: customers.id, customers.name, customers.email, customers.userId, customers.company, customers.phone, ` +
  'customers.countryCode, customers.city, customers.regionCode, customers.lastSeen, customers.firstSeen, customers.tagsData, ' +
  'customers.telegramId, customers.facebookId, customers.instagramId, customers.viberId, customers.whatsappId';
export const CHAT_SORT_CHOICE = `${CHOICE} Valid sort fields: chats.createdAt, chats.lastCustomerMessageAt, chats.lastMessageAt, chats.closedAt`;
export const CUSTOMER_SORT_CHOICE = `${CHOICE} Valid sort fields: customers.createdAt, customers.firstSeen, customers.lastSeen`;

/** an operator that is none of the language's: the field's own operators, or all when the field is unknown too */
export const operatorChoice = (operators: string) => `${CHOICE} Valid operators: ${operators}`;
export const ALL_OPERATORS = '=, !=, >, <, >=, <=, ~, !~';
export const ENUM_OPERATORS = '=, !=';
export const STRING_OPERATORS = '=, !=, ~, !~';
