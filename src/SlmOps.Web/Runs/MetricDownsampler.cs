namespace SlmOps.Web.Runs;

/// <summary>Thins a long series to at most maxPoints by even stride, always keeping the first and last point.</summary>
public static class MetricDownsampler
{
    public static IReadOnlyList<MetricPointDto> Downsample(IReadOnlyList<MetricPointDto> points, int maxPoints)
    {
        if (points.Count <= maxPoints) return points;
        var result = new List<MetricPointDto>(maxPoints);
        var stride = (double)(points.Count - 1) / (maxPoints - 1);
        for (var i = 0; i < maxPoints; i++) result.Add(points[(int)Math.Round(i * stride)]);
        return result;
    }
}
