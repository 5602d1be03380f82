namespace SlmOps.Cli.Api;

/// <summary>The process exit codes of `slmops`, one per class of failure so scripts can branch on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The watched run ended Failed.</summary>
    public const int RunFailed = 1;

    /// <summary>Bad command line, unreadable file or missing configuration.</summary>
    public const int Usage = 2;

    /// <summary>401/403: no key, a wrong key, or a key whose role is too low.</summary>
    public const int Auth = 3;

    /// <summary>404: the dataset, run, model, version or alias does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>400/409/413/422: the server refused the input (field errors are printed).</summary>
    public const int Rejected = 5;

    /// <summary>5xx, an unreachable server, or a timeout.</summary>
    public const int Server = 6;

    /// <summary>The watched run ended Cancelled.</summary>
    public const int RunCancelled = 7;

    public static int ForStatus(int status) => status switch
    {
        401 or 403 => Auth,
        404 => NotFound,
        >= 400 and < 500 => Rejected,
        _ => Server,
    };
}
