// Package wp holds what the two WordPress loyalty-plugin clients (woorewards and
// woorewards/rewardpoints) and their fakes share: tolerant JSON scalars for the way WordPress
// plugins encode numbers, booleans and ids, the WordPress REST error body, HTTPS-only credential
// helpers and small response writers for the fake servers.
package wp
