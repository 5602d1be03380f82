using System.Runtime.CompilerServices;

// Every P/Invoke signature is blittable (handles, integers, doubles, pointers), so the runtime's
// marshalling layer is switched off: calls compile to direct native calls.
[assembly: DisableRuntimeMarshalling]

namespace SlmOps.Torch;
