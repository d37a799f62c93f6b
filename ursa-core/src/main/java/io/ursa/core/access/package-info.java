/**
 * Who may do what: a caller is a {@link io.ursa.core.access.User} (a name and groups), and
 * {@link io.ursa.core.access.Authorizer} answers from the AccessRoles and AccessRoleBindings in the store whether
 * it may write a resource, read a secret or issue a token, and from the AccessAudits whether an action is audited.
 * The API server authenticates callers and asks; nothing here knows about HTTP.
 */
package io.ursa.core.access;
