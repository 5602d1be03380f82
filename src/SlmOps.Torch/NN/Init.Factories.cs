using SlmOps.Torch.Modules;

namespace SlmOps.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static class init
        {
            /// <summary>Skips the default initialisation of modules built on this thread until disposed (see <see cref="Modules.NoInitScope"/>).</summary>
            public static NoInitScope NoInitScope() => new();
        }
    }
}
