/** Splitting script text into statements at semicolons outside quotes and comments. */

/** The complete statements in `text`, and what follows the last semicolon. */
export function splitStatements(text: string): { statements: string[]; rest: string } {
  const statements: string[] = [];
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = text[i + 1] === quote ? (i++, quote) : undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';') {
      const statement = text.slice(start, i).trim();
      if (statement !== '') statements.push(statement);
      start = i + 1;
    }
  }
  return { statements, rest: text.slice(start) };
}
