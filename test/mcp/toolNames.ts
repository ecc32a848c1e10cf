// The tools the server lists, by access: the stdio test asserts the exact lists, and the real
// VS Code test the count it discovers without --allow-write.
export const READ_TOOLS = ['diff', 'impact', 'inspect', 'list_files', 'list_repositories', 'list_tags', 'read_file', 'validate'];
export const WRITE_TOOLS = ['copy', 'delete_tag', 'push', 'sign'];
