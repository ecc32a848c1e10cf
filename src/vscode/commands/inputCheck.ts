import { errorMessage } from '../../text/format';

/**
 * An input box's `validateInput` from a core validator that throws: the validator's own message
 * while the text is not valid, nothing once it is. The text is trimmed as the commands trim it.
 */
export function inputCheck(validate: (value: string) => unknown): (value: string) => string | undefined {
  return (value) => {
    try {
      validate(value.trim());
      return undefined;
    } catch (error) {
      return errorMessage(error);
    }
  };
}
