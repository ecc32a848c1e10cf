import { GitOpsValidator } from '../../gitops/validator';

let validator: GitOpsValidator | undefined;

/**
 * One validator for the editor: the language service and its per-document cache are built on
 * first use (not at activation) and shared by diagnostics, completion, hover and the push gate.
 */
export function sharedValidator(): GitOpsValidator {
  validator ??= new GitOpsValidator();
  return validator;
}
