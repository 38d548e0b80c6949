/**
 * Passwords for bench/password-strength.ts and test/zxcvbn-l33t.test.ts, the same on every run (a seeded generator,
 * not `crypto`): what people type, and l33t spellings of common passwords, the kind a weaker check lets through.
 */

/** A small linear congruential generator: reproducible, and plenty for choosing characters. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * What people type, one third each: common and seed passwords, passphrases of two words and a number, and random
 * strings of 10 to 64 characters such as a password manager makes.
 */
export function samplePasswords(count: number, seed = 1): string[] {
  const random = seededRandom(seed);
  const fixed = ['Password123!', 'chantaje@1', 'freepassword@1', 'heatcavslakers@1', 'correct-horse-9!', 'qwerty123456!', 'Summer2024!!', 'alice_01-pass'];
  const words = ['kettle', 'orbit', 'maple', 'harbor', 'violet', 'tundra', 'pepper', 'lantern', 'saffron', 'quartz'];
  const passwords: string[] = [];
  for (let i = 0; passwords.length < count; i++) {
    if (i % 3 === 0) passwords.push(fixed[i % fixed.length]!);
    else if (i % 3 === 1) passwords.push(`${words[i % 10]}-${words[(i * 7) % 10]}-${i % 100}!`);
    else {
      const length = 10 + Math.floor(random() * 55);
      let text = '';
      for (let k = 0; k < length - 2; k++) text += base64url[Math.floor(random() * 64)];
      passwords.push(`${text}-${i % 10}`);
    }
  }
  return passwords;
}

/**
 * l33t spellings of 20 common passwords with a digit and a symbol added (`p@55w0rd!2024`, `Tru$7n0#1`), 20 of each,
 * all of them long enough and mixed enough to pass the shape rules, so only zxcvbn can refuse them.
 */
export function l33tSpellings(seed = 12): string[] {
  const random = seededRandom(seed);
  const bases = ['password', 'iloveyou', 'sunshine', 'princess', 'football', 'baseball', 'welcome', 'dragon', 'monkey', 'letmein', 'trustno', 'superman', 'starwars', 'master', 'shadow', 'michael', 'jennifer', 'computer', 'whatever', 'freedom'];
  const replacements: Record<string, string[]> = { a: ['4', '@'], e: ['3'], i: ['1', '!'], o: ['0'], s: ['$', '5'], t: ['7', '+'], l: ['1', '|'], g: ['9'], b: ['8'] };
  const suffixes = ['!1', '@2024', '#1', '1!', '!2024', '123!', '$9', '.7', '!!1', '_01'];
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const spellings: string[] = [];
  for (const base of bases) {
    const seen = new Set<string>();
    for (let attempt = 0; seen.size < 20 && attempt < 1000; attempt++) {
      const share = random();
      let spelling = [...base].map((c) => (replacements[c] !== undefined && random() < share ? pick(replacements[c]) : c)).join('');
      if (random() < 0.4) spelling = spelling[0]!.toUpperCase() + spelling.slice(1);
      spelling += pick(suffixes);
      if (spelling.length < 10 || !/\p{L}/u.test(spelling) || !/\p{N}/u.test(spelling) || !/[^\p{L}\p{N}]/u.test(spelling)) continue;
      seen.add(spelling);
    }
    spellings.push(...seen);
  }
  return spellings;
}

/**
 * Long passwords (17 to 64 characters) built from guessable parts: repeated l33t spellings, common passwords and
 * words run together, keyboard walks, sequences, dates and word sequences. A check that judges only a prefix of a
 * long password must refuse what the whole-password check refuses among these.
 */
export function longGuessable(seed = 17): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const spellings = l33tSpellings(seed);
  const common = ['password', 'iloveyou', 'sunshine', 'princess', 'football', 'baseball', 'welcome', 'dragon', 'monkey', 'letmein', 'qwerty', 'abc123', 'master', 'shadow', '123456', 'michael', 'superman', 'starwars', 'computer', 'whatever'];
  const walks = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz2wsx3edc', '!QAZ@WSX#EDC', 'qazwsxedcrfv', '1234567890', '0987654321', 'abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba', 'poiuytrewq', 'mnbvcxz'];
  const words = ['one', 'two', 'three', 'four', 'five', 'monday', 'tuesday', 'january', 'february', 'north', 'south', 'red', 'orange', 'yellow', 'green'];
  const dates = ['1990', '2024', '12/25/1990', '19900101', '01-01-2000', '1987'];
  const symbols = ['!', '@', '#', '$', '!!', '?', '.', '_', '-', '*'];
  const makers: (() => string)[] = [
    () => pick(spellings).repeat(2 + Math.floor(random() * 4)),
    () => pick(common) + pick(common) + pick(dates) + pick(symbols),
    () => pick(common).repeat(2 + Math.floor(random() * 4)) + pick(symbols) + '1',
    () => pick(walks) + pick(walks) + pick(symbols) + '1',
    () => pick(walks).repeat(2 + Math.floor(random() * 3)) + pick(symbols) + '9',
    () => words.slice(Math.floor(random() * 5)).slice(0, 3 + Math.floor(random() * 3)).join(pick(['', '-', '_', '.'])) + pick(symbols) + pick(dates),
    () => pick(spellings) + pick(spellings),
    () => pick(common) + pick(symbols) + pick(dates) + pick(symbols) + pick(common),
    () => pick(symbols).repeat(4) + pick(common) + pick(dates) + pick(symbols).repeat(4),
    () => 'a1!'.repeat(6 + Math.floor(random() * 14)),
  ];
  const passwords = new Set<string>();
  for (let attempt = 0; passwords.size < 400 && attempt < 10_000; attempt++) {
    const password = pick(makers)().slice(0, 64);
    if (password.length > 16 && /\p{L}/u.test(password) && /\p{N}/u.test(password) && /[^\p{L}\p{N}]/u.test(password)) passwords.add(password);
  }
  return [...passwords];
}
