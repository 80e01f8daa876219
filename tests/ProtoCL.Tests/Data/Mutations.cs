namespace ProtoCL.Tests.Data;

/// <summary>Seeded random damage to a valid file: bit flips, overwritten bytes, truncation, insertions, deletions.</summary>
public static class Mutations
{
    public static byte[] Apply(byte[] valid, int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>(valid);
        int edits = random.Next(1, 9);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 33)).Select(_ => (byte)random.Next(256)));
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 33)));
                    break;
            }
        }
        return [.. bytes];
    }
}
