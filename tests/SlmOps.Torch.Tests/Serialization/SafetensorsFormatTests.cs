using System.Buffers.Binary;
using System.Text;
using SlmOps.Torch.Serialization;

namespace SlmOps.Torch.Tests.Serialization;

/// <summary>The container format on its own (no libtorch): layout, validation, and the errors for bad files.</summary>
public sealed class SafetensorsFormatTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slmops-st-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathFor(string name) => Path.Combine(_dir.FullName, name);

    private static SafetensorsTensorBytes F32(string name, long[] shape, params float[] values) =>
        new(name, SafetensorsDType.F32, shape, [.. values.SelectMany(BitConverter.GetBytes)]);

    [Fact]
    public void Written_file_has_length_prefix_aligned_json_header_and_contiguous_data()
    {
        var path = PathFor("a.safetensors");
        SafetensorsFile.Write(path, [F32("w", [2], 1f, 2f), new("m", SafetensorsDType.Bool, [3], [1, 0, 1])],
            new Dictionary<string, string> { ["format"] = "pt" });

        var bytes = File.ReadAllBytes(path);
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var json = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{", json);
        Assert.Contains("\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", json);
        Assert.Contains("\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[8,11]}", json);
        Assert.Equal(8 + n + 11, bytes.Length);
        Assert.Equal(2f, BitConverter.ToSingle(bytes, (int)(8 + n + 4)));
    }

    [Fact]
    public void Round_trip_preserves_names_order_shapes_bytes_and_metadata()
    {
        var path = PathFor("b.safetensors");
        SafetensorsTensorBytes[] written =
        [
            F32("z.last", [1, 2], 3f, -4f),
            new("a.first", SafetensorsDType.I64, [2], [.. BitConverter.GetBytes(7L), .. BitConverter.GetBytes(-1L)]),
            new("half", SafetensorsDType.BF16, [2, 1], [0x80, 0x3f, 0x00, 0xc0]),
            new("empty", SafetensorsDType.F16, [0, 3], []),
        ];
        SafetensorsFile.Write(path, written, new Dictionary<string, string> { ["step"] = "12" });

        var (read, meta) = SafetensorsFile.Read(path);
        Assert.Equal(written.Select(t => t.Name), read.Select(t => t.Name));
        for (var i = 0; i < written.Length; i++)
        {
            Assert.Equal(written[i].DType, read[i].DType);
            Assert.Equal(written[i].Shape, read[i].Shape);
            Assert.Equal(written[i].Data, read[i].Data);
        }
        Assert.Equal("12", meta["step"]);
    }

    [Fact]
    public void Write_refuses_a_byte_count_that_does_not_match_the_shape()
    {
        var e = Assert.Throws<SafetensorsException>(() =>
            SafetensorsFile.Write(PathFor("c.safetensors"), [F32("w", [3], 1f, 2f)]));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("needs 12 bytes, got 8", e.Message);
        Assert.False(File.Exists(PathFor("c.safetensors")));
    }

    [Fact]
    public void Truncated_data_section_names_the_tensor_that_runs_past_the_end()
    {
        var path = PathFor("d.safetensors");
        SafetensorsFile.Write(path, [F32("first", [1], 1f), F32("second", [4], 1f, 2f, 3f, 4f)]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("'second'", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void File_shorter_than_the_length_prefix_is_reported_as_truncated(int length)
    {
        var path = PathFor("e.safetensors");
        File.WriteAllBytes(path, new byte[length]);
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(path));
        Assert.Contains("8-byte header length prefix", e.Message);
    }

    [Fact]
    public void Header_length_beyond_the_file_is_reported_as_truncated()
    {
        var path = PathFor("f.safetensors");
        var bytes = new byte[8 + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(path));
        Assert.Contains("header claims 1000 bytes but only 4 follow", e.Message);
    }

    [Fact]
    public void Absurd_header_length_is_refused_before_allocating()
    {
        var path = PathFor("g.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(path));
        Assert.Contains("exceeds", e.Message);
    }

    private static SafetensorsException ParseError(string json, long dataLength = 1024) =>
        Assert.Throws<SafetensorsException>(() => SafetensorsHeader.Parse(Encoding.UTF8.GetBytes(json), dataLength));

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "root must be an object")]
    [InlineData("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w' has no string 'dtype'")]
    [InlineData("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "unsupported dtype 'F64'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "no 'shape' array")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "not a non-negative integer")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "no 'data_offsets'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", "0 <= begin <= end")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", "needs 16 bytes but data_offsets span 8")]
    [InlineData("{\"__metadata__\":{\"k\":3}}", "__metadata__ value for 'k' must be a string")]
    public void Malformed_headers_fail_with_a_message_naming_the_problem(string json, string expected)
    {
        Assert.Contains(expected, ParseError(json).Message);
    }

    [Fact]
    public void Overlapping_tensors_are_rejected()
    {
        var e = ParseError("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
                           "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}");
        Assert.Contains("'a' and 'b' overlap", e.Message);
    }

    [Fact]
    public void Missing_file_is_reported_by_path()
    {
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Read(PathFor("nope.safetensors")));
        Assert.Contains("not found", e.Message);
    }
}
