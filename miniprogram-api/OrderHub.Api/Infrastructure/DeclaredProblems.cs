using OrderHub.Api.Infrastructure;

namespace OrderHub.Api.Infrastructure
{
    /// <summary>
    /// Endpoint metadata: a problem status the endpoint's own handler (or the service it calls) can answer, with what it
    /// means in Chinese and English. <see cref="ApiContract"/> documents it with the problem schema. What the pipeline
    /// answers on any operation (400, 401, 403, 413, 414, 431, 429, 503, the Idempotency-Key's 422) is added there and
    /// needs no declaration; 404, 409 and the like are declared on the endpoint, only where its handler can answer them
    /// (issue #21), so the document says which operations can meet a missing resource or a state conflict. The contract
    /// check fails a test run when an endpoint answers a status it does not declare.
    /// </summary>
    public sealed record DeclaredProblem(int Status, string Description);
}

// In ASP.NET Core's namespace, like MapGet and WithName: every route table finds them without a using.
namespace Microsoft.AspNetCore.Builder
{
    public static class DeclaredProblemExtensions
    {
        public const string StoreNotFound = "客户不存在或不属于调用者 / No such customer (store), or not one the caller may act for";

        /// <summary>The endpoint may answer 404: something named in the path, query or body does not exist or is not the caller's.</summary>
        /// <param name="what">What is missing, "中文 / English" (e.g. "订单不存在 / No such order").</param>
        public static TBuilder ProducesNotFound<TBuilder>(this TBuilder b, string what) where TBuilder : IEndpointConventionBuilder =>
            b.Declares(StatusCodes.Status404NotFound, what);

        /// <summary>The endpoint may answer 409: the request conflicts with the current state.</summary>
        /// <param name="what">The conflict, "中文 / English" (e.g. "库存不足 / Not enough stock").</param>
        public static TBuilder ProducesConflict<TBuilder>(this TBuilder b, string what) where TBuilder : IEndpointConventionBuilder =>
            b.Declares(StatusCodes.Status409Conflict, what);

        /// <summary>The store named by <c>customerId</c> (route or query) is resolved by <c>StoreAccess</c>: 404 when it is not the caller's.</summary>
        public static TBuilder ProducesStoreNotFound<TBuilder>(this TBuilder b) where TBuilder : IEndpointConventionBuilder =>
            b.ProducesNotFound(StoreNotFound);

        /// <summary>Any other problem status the handler answers (410, 422…), with its meaning "中文 / English".</summary>
        public static TBuilder Declares<TBuilder>(this TBuilder b, int status, string description) where TBuilder : IEndpointConventionBuilder =>
            b.WithMetadata(new DeclaredProblem(status, description));
    }
}
