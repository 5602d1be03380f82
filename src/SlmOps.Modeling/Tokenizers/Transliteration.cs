using System.Text;

namespace SlmOps.Modeling.Tokenizers;

/// <summary>
/// A fixed table rather than Unicode normalization: the result must not depend on the ICU version
/// (the apps run with invariant globalization), because it feeds a hashed vocabulary.
/// </summary>
internal static class Transliteration
{
    private static readonly Dictionary<char, string> Table = Build();

    public static string ToAscii(string s)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c < 128) { sb?.Append(c); continue; }
            sb ??= new StringBuilder(s.Length).Append(s, 0, i);
            if (Table.TryGetValue(c, out var ascii)) sb.Append(ascii);
            else sb.Append(c); // left for the cleaner to drop or keep
        }
        return sb?.ToString() ?? s;
    }

    private static Dictionary<char, string> Build()
    {
        var t = new Dictionary<char, string>();
        void Map(string chars, string ascii) { foreach (var c in chars) t[c] = ascii; }
        Map("ÀÁÂÃÄÅĀĂĄ", "A"); Map("àáâãäåāăą", "a");
        Map("ÇĆĈĊČ", "C"); Map("çćĉċč", "c");
        Map("ĎĐ", "D"); Map("ďđ", "d");
        Map("ÈÉÊËĒĔĖĘĚ", "E"); Map("èéêëēĕėęě", "e");
        Map("ĜĞĠĢ", "G"); Map("ĝğġģ", "g");
        Map("ÌÍÎÏĨĪĬĮİ", "I"); Map("ìíîïĩīĭįı", "i");
        Map("ĹĻĽĿŁ", "L"); Map("ĺļľŀł", "l");
        Map("ÑŃŅŇ", "N"); Map("ñńņň", "n");
        Map("ÒÓÔÕÖØŌŎŐ", "O"); Map("òóôõöøōŏő", "o");
        Map("ŔŖŘ", "R"); Map("ŕŗř", "r");
        Map("ŚŜŞŠ", "S"); Map("śŝşš", "s");
        Map("ŢŤ", "T"); Map("ţť", "t");
        Map("ÙÚÛÜŨŪŬŮŰŲ", "U"); Map("ùúûüũūŭůűų", "u");
        Map("ÝŸ", "Y"); Map("ýÿ", "y");
        Map("ŹŻŽ", "Z"); Map("źżž", "z");
        Map("ß", "ss"); Map("Æ", "AE"); Map("æ", "ae"); Map("Œ", "OE"); Map("œ", "oe");
        Map("Þ", "Th"); Map("þ", "th"); Map("Ð", "D"); Map("ð", "d");
        Map("\u2018\u2019\u201A\u201B\u2032", "'");
        Map("\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB", "\"");
        Map("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-");
        Map("\u2026", "...");
        Map("\u00A0\u2002\u2003\u2009\u202F", " ");
        return t;
    }
}
