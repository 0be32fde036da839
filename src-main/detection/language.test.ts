import { describe, expect, it } from 'vitest';
import { analyze, guessLanguage } from './features';

const lang = (text: string): 'en' | 'other' => guessLanguage(analyze(text).tokens);

// Short passages in the style of the fortune files of Debian's fortunes-* packages, written for this test.
const SAMPLES: Record<string, string> = {
  pl: 'Nie wiem, czy to jest dobry pomysł, ale spróbuję jeszcze raz. Wczoraj poszliśmy do kina i było świetnie, chociaż film się dłużył. Kto rano wstaje, temu Pan Bóg daje.',
  cs: 'Když jsem byl malý, chodil jsem každý den do školy pěšky. Není to daleko, ale v zimě je cesta dlouhá a studená. Bez práce nejsou koláče.',
  sv: 'Det är inte så lätt att veta vad man ska göra när allt går fel. Vi åkte till stugan i helgen och det regnade hela tiden, men det var ändå trevligt.',
  es: 'No es oro todo lo que reluce, y más vale pájaro en mano que ciento volando. Ayer fuimos al mercado para comprar pan y fruta para la semana.',
  de: 'Wer nicht wagt, der nicht gewinnt. Gestern sind wir mit dem Fahrrad an den See gefahren, und es war viel wärmer als gedacht.',
  tr: 'Bu sabah erken kalktım ve deniz kenarında uzun bir yürüyüş yaptım. Hava çok güzeldi ve bir kahve için küçük bir kafeye oturdum.',
};

describe('guessLanguage', () => {
  it.each(Object.entries(SAMPLES))('sends %s text to abstention', (_code, text) => {
    expect(lang(text)).toBe('other');
  });

  it('keeps English with a few loanwords and accented names', () => {
    const en =
      'After the café closed, Zoë and José walked to the old library, where the naïve intern had left a note about the résumé workshop. ' +
      'They read it twice, laughed, and decided that the workshop could wait until the weekend, because the weather was far too good to stay inside.';
    expect(lang(en)).toBe('en');
  });
});
