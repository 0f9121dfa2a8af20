using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class NotificationBumpIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_MessageId_Kind_UpdatedAt",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_MessageId_Kind",
                table: "Notifications",
                columns: new[] { "MessageId", "Kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_MessageId_Kind",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_MessageId_Kind_UpdatedAt",
                table: "Notifications",
                columns: new[] { "MessageId", "Kind", "UpdatedAt" });
        }
    }
}
